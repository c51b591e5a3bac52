#pragma once

// S3 requests: GetObject with a byte range and ListObjectsV2, addressed path-style or
// virtual-host style, signed with SigV4 under the S3 rules (x-amz-content-sha256 carries the
// payload hash, here the empty body's, and is signed; the path is URI-encoded once, not twice),
// and the service's refusals turned into messages that name the object and what to do.
// Blocking calls: use a Client from a worker thread, never from the UI thread.

#include "objectstore/s3config.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace syncdesk::s3 {

// The S3 SigV4 dialect: the SigV4 key chain with the payload hash sent in x-amz-content-sha256.
inline constexpr signing::Dialect kS3Dialect{
    .algorithm = "AWS4-HMAC-SHA256",
    .keyPrefix = "AWS4",
    .terminator = "aws4_request",
    .dateHeader = "X-Amz-Date",
    .tokenHeader = "X-Amz-Security-Token",
    .contentHashHeader = "x-amz-content-sha256",
};

struct ObjectInfo
{
    QString key;
    qint64 size = -1;
    QByteArray etag; // as the service sends it, quotes included
    QString lastModified; // as the service sends it
};

struct Listing
{
    QList<ObjectInfo> objects; // sorted by key
    QStringList prefixes; // "sub-folders" (with a delimiter)
    QString error; // empty on success
};

// One ranged GET's answer, or the first one's object description.
struct RangeResult
{
    qint64 first = -1; // the answer's first byte (Content-Range; 0 for a 200)
    qint64 objectSize = -1; // from Content-Range (or Content-Length for a 200)
    QByteArray etag;
    QString lastModified;
};

class Client final
{
    Q_DISABLE_COPY_MOVE(Client)
public:
    explicit Client(Access access, signing::Clock clock = signing::systemClock());

    const Access &access() const { return m_access; }
    HttpClient &http() { return m_http; }

    // Signed requests (public for the signature tests). `last` inclusive; `ifMatch` may be empty.
    HttpRequest getObjectRequest(const ObjectUrl &url, qint64 first, qint64 last,
                                 const QByteArray &ifMatch = {}) const;
    HttpRequest listRequest(const QString &bucket, const QString &prefix, const QString &delimiter,
                            const QString &continuationToken) const;

    // Every object under url's prefix (all pages); with `delimiter` "/" only one level, the
    // deeper levels in Listing::prefixes.
    Listing list(const ObjectUrl &url, const QString &delimiter = {});
    // The object's size, ETag and Last-Modified (a 1-byte ranged GET, which S3 answers with the
    // same errors as a whole GET, bodies included, where HEAD has none). Empty object: size 0.
    std::optional<ObjectInfo> stat(const ObjectUrl &url, QString *error);

private:
    QByteArray bucketBase(const QString &bucket) const; // endpoint + bucket, no trailing '/'
    void sign(HttpRequest &request) const;

    Access m_access;
    signing::Clock m_clock;
    HttpClient m_http;
};

// What a refused or failed S3 response means, naming `object` (s3://bucket/key).
QString describeFailure(const QString &object, const HttpResponse &response, const Access &access);
// 5xx, throttling (503 SlowDown) and dropped or timed-out connections are worth another try.
bool isRetryable(const HttpResponse &response);
// Parses a ranged GET's headers (Content-Range "bytes a-b/size", ETag, Last-Modified).
RangeResult parseRangeHeaders(const HttpResponse &response);
// ListObjectsV2's XML body; `nextToken` receives NextContinuationToken when truncated.
Listing parseListing(const QByteArray &xml, QString *nextToken);

} // namespace syncdesk::s3
