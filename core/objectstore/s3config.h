#pragma once

// Where an s3:// dataset lives and how to reach it: the URL (bucket and key or prefix), the
// operator's choices that a job file keeps (endpoint, region, addressing, profile; never a
// secret), and the access they resolve to, following the AWS conventions:
//   credentials  an explicit pair (a saved connection), else AWS_ACCESS_KEY_ID /
//                AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the profile (AWS_PROFILE or
//                "default") in ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE) or ~/.aws/config
//   endpoint     the explicit option, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else the
//                profile's endpoint_url (or its "s3 =" section's), else
//                https://s3.REGION.amazonaws.com
//   region       the explicit option, else AWS_REGION, AWS_DEFAULT_REGION, the profile's region,
//                else us-east-1
//   addressing   path-style for an IP address or localhost endpoint, for a bucket name that is
//                not a DNS label, and on request; virtual-host otherwise.

#include "destination/signing/dialect.h"
#include "net/httpclient.h"

#include <QString>
#include <QVariantMap>

#include <optional>

namespace syncdesk::s3 {

// s3://bucket/key, or s3://bucket/prefix/ (a folder of objects; the empty prefix too).
struct ObjectUrl
{
    QString bucket;
    QString key; // a key, or a prefix ending in '/' (or empty: the whole bucket)

    static bool isS3(const QString &path) { return path.startsWith(u"s3://", Qt::CaseInsensitive); }
    // nullopt (and `error` set) for a URL without a bucket.
    static std::optional<ObjectUrl> parse(const QString &url, QString *error);
    bool isPrefix() const { return key.isEmpty() || key.endsWith(u'/'); }
    QString toString() const { return QStringLiteral("s3://") + bucket + u'/' + key; }
};

// What the operator chose; kept in job files and the catalog (no secrets).
struct Options
{
    QString endpoint; // empty: from the environment or the profile, else AWS
    QString region; // empty: from the environment or the profile, else us-east-1
    bool pathStyle = false; // force path-style addressing
    QString profile; // empty: AWS_PROFILE, else "default"
    // A saved connection whose key pair reads the bucket (its secret from the keychain, handed
    // to the readers by the caller as encodeSecret()); empty: the environment or the profile.
    QString connection;

    bool isEmpty() const
    {
        return endpoint.isEmpty() && region.isEmpty() && !pathStyle && profile.isEmpty()
            && connection.isEmpty();
    }
    QVariantMap toVariant() const;
    static Options fromVariant(const QVariantMap &map);
};

// A key pair given by the caller (a saved connection from the keychain), carried through the
// "source secret" string the engine hands to the readers. Never written anywhere.
QString encodeSecret(const signing::Credentials &credentials);
std::optional<signing::Credentials> decodeSecret(const QString &secret);

// Everything a request needs.
struct Access
{
    QByteArray endpoint; // scheme://host[:port][/base], no trailing '/'
    QByteArray region;
    bool pathStyle = false;
    signing::Credentials credentials; // empty: unsigned requests (a public bucket)
    QString credentialSource; // "AWS_ACCESS_KEY_ID", "profile default (~/.aws/credentials)", ...
    TlsOptions tls;
};

// Resolves `options` with the environment and the profile files. `secret`: encodeSecret() of a
// saved connection's pair, or empty. Never fails: missing credentials give unsigned requests,
// which the service answers with AccessDenied (named then).
Access resolve(const Options &options, const QString &secret = {});

// True when `host` (no port) is an IPv4/IPv6 literal or localhost: such endpoints cannot serve
// virtual-host buckets.
bool needsPathStyle(QByteArrayView host);

} // namespace syncdesk::s3
