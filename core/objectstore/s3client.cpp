#include "objectstore/s3client.h"

#include <QHash>
#include <QUrl>
#include <QXmlStreamReader>

#include <algorithm>

namespace syncdesk::s3 {

namespace {

// The leaf elements of an S3 <Error> body: Code, Message, Region, Endpoint, BucketName...
QHash<QString, QString> errorFields(const QByteArray &xml)
{
    QHash<QString, QString> fields;
    QXmlStreamReader r(xml);
    QString current;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement())
            current = r.name().toString();
        else if (r.isCharacters() && !r.isWhitespace() && !current.isEmpty())
            fields.insert(current, r.text().toString());
        else if (r.isEndElement())
            current.clear();
    }
    return fields;
}

QString bodyText(const QHash<QString, QString> &fields, int status)
{
    const QString code = fields.value(QStringLiteral("Code"));
    const QString message = fields.value(QStringLiteral("Message"));
    if (code.isEmpty())
        return QStringLiteral("HTTP %1").arg(status);
    return message.isEmpty() ? code : code + QStringLiteral(": ") + message;
}

QString credentialsHint(const Access &access)
{
    if (access.credentials.accessKeyId.isEmpty())
        return QStringLiteral("no credentials were found: set AWS_ACCESS_KEY_ID and "
                              "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or use a saved connection");
    return QStringLiteral("the credentials came from %1").arg(access.credentialSource);
}

} // namespace

Client::Client(Access access, signing::Clock clock)
    : m_access(std::move(access))
    , m_clock(std::move(clock))
    , m_http(m_access.tls, 4)
{ }

QByteArray Client::bucketBase(const QString &bucket) const
{
    const QByteArray b = signing::uriEncode(bucket.toUtf8(), false);
    if (m_access.pathStyle)
        return m_access.endpoint + '/' + b;
    const qsizetype scheme = m_access.endpoint.indexOf("://");
    return m_access.endpoint.left(scheme + 3) + b + '.' + m_access.endpoint.mid(scheme + 3);
}

void Client::sign(HttpRequest &request) const
{
    if (m_access.credentials.accessKeyId.isEmpty())
        return; // a public bucket, or the service names the missing credentials
    kS3Dialect.sign(request, m_access.credentials, m_access.region, "s3", m_clock());
}

HttpRequest Client::getObjectRequest(const ObjectUrl &url, qint64 first, qint64 last,
                                     const QByteArray &ifMatch) const
{
    HttpRequest r;
    r.method = "GET";
    r.url = bucketBase(url.bucket) + '/' + signing::uriEncode(url.key.toUtf8(), true);
    r.headers.append(
        {"Range", "bytes=" + QByteArray::number(first) + '-' + QByteArray::number(last)});
    if (!ifMatch.isEmpty())
        r.headers.append({"If-Match", ifMatch});
    r.timeoutMs = 120000;
    sign(r);
    return r;
}

HttpRequest Client::listRequest(const QString &bucket, const QString &prefix,
                                const QString &delimiter, const QString &continuationToken) const
{
    // Query parameters in canonical (sorted) order, each value URI-encoded.
    QByteArray query;
    auto add = [&query](const QByteArray &name, const QString &value) {
        if (!query.isEmpty())
            query.append('&');
        query.append(name).append('=').append(signing::uriEncode(value.toUtf8(), false));
    };
    if (!continuationToken.isEmpty())
        add("continuation-token", continuationToken);
    if (!delimiter.isEmpty())
        add("delimiter", delimiter);
    add("list-type", QStringLiteral("2"));
    add("prefix", prefix);
    HttpRequest r;
    r.method = "GET";
    r.url = bucketBase(bucket) + "/?" + query;
    sign(r);
    return r;
}

Listing Client::list(const ObjectUrl &url, const QString &delimiter)
{
    Listing all;
    QString token;
    do {
        const HttpResponse response
            = m_http.send(listRequest(url.bucket, url.key, delimiter, token));
        if (response.status != 200) {
            all.error = describeFailure(url.toString(), response, m_access);
            return all;
        }
        token.clear();
        const Listing page = parseListing(response.body, &token);
        if (!page.error.isEmpty()) {
            all.error = url.toString() + QStringLiteral(": ") + page.error;
            return all;
        }
        all.objects += page.objects;
        all.prefixes += page.prefixes;
    } while (!token.isEmpty());
    std::sort(all.objects.begin(), all.objects.end(),
              [](const ObjectInfo &a, const ObjectInfo &b) { return a.key < b.key; });
    return all;
}

std::optional<ObjectInfo> Client::stat(const ObjectUrl &url, QString *error)
{
    HttpResponse response;
    for (int attempt = 0;; ++attempt) {
        response = m_http.send(getObjectRequest(url, 0, 0));
        if (!isRetryable(response) || attempt >= 3)
            break;
    }
    ObjectInfo info;
    info.key = url.key;
    if (response.status == 416) { // an empty object has no byte 0
        info.size = 0;
        info.etag = response.header("ETag");
        return info;
    }
    if (response.status != 206 && response.status != 200) {
        *error = describeFailure(url.toString(), response, m_access);
        return std::nullopt;
    }
    const RangeResult range = parseRangeHeaders(response);
    info.size = range.objectSize;
    info.etag = range.etag;
    info.lastModified = range.lastModified;
    return info;
}

QString describeFailure(const QString &object, const HttpResponse &response, const Access &access)
{
    if (response.status == 0)
        return QStringLiteral("%1: cannot reach %2: %3")
            .arg(object, QString::fromUtf8(access.endpoint), response.errorText);
    const auto fields = errorFields(response.body);
    const QString code = fields.value(QStringLiteral("Code"));
    const QString said = bodyText(fields, response.status);
    const QString region = QString::fromUtf8(access.region);
    QString bucketRegion = QString::fromUtf8(response.header("x-amz-bucket-region"));
    if (bucketRegion.isEmpty())
        bucketRegion = fields.value(QStringLiteral("Region"));
    if (code == u"NoSuchBucket")
        return QStringLiteral("%1: the bucket '%2' does not exist (%3)")
            .arg(object, fields.value(QStringLiteral("BucketName"), QUrl(object).host()), said);
    if (code == u"NoSuchKey" || (response.status == 404 && code.isEmpty()))
        return QStringLiteral("%1: no such object (%2)").arg(object, said);
    if (response.status == 301 || response.status == 307 || code == u"PermanentRedirect"
        || code == u"AuthorizationHeaderMalformed" || code == u"IllegalLocationConstraintException"
        || (!bucketRegion.isEmpty() && bucketRegion != region)) {
        QString text
            = QStringLiteral("%1: wrong region or endpoint: the service says %2").arg(object, said);
        if (const QString endpoint = fields.value(QStringLiteral("Endpoint")); !endpoint.isEmpty())
            text += QStringLiteral(" (endpoint %1)").arg(endpoint);
        if (!bucketRegion.isEmpty() && bucketRegion != region)
            text += QStringLiteral("; the bucket is in %1, not %2: give --s3-region %1")
                        .arg(bucketRegion, region);
        return text;
    }
    if (response.status == 403)
        return QStringLiteral("%1: access denied (%2); %3")
            .arg(object, said, credentialsHint(access));
    if (response.status == 412)
        return QStringLiteral("%1: the object was replaced while it was read (%2)")
            .arg(object, said);
    if (response.status >= 500)
        return QStringLiteral("%1: the service failed (%2)").arg(object, said);
    return QStringLiteral("%1: refused (%2)").arg(object, said);
}

bool isRetryable(const HttpResponse &response)
{
    if (response.status == 0)
        return response.error == TransportError::ConnectionDropped
            || response.error == TransportError::ConnectionFailed
            || response.error == TransportError::Timeout;
    return response.status >= 500 || response.status == 429;
}

RangeResult parseRangeHeaders(const HttpResponse &response)
{
    RangeResult r;
    r.etag = response.header("ETag");
    r.lastModified = QString::fromUtf8(response.header("Last-Modified"));
    const QByteArray range = response.header("Content-Range"); // bytes a-b/size
    const qsizetype slash = range.lastIndexOf('/');
    const qsizetype dash = range.indexOf('-');
    if (range.startsWith("bytes ") && dash > 6)
        r.first = range.mid(6, dash - 6).toLongLong();
    if (slash > 0) {
        bool ok = false;
        const qint64 size = range.mid(slash + 1).toLongLong(&ok);
        if (ok)
            r.objectSize = size;
    } else if (response.status == 200) {
        r.first = 0;
        r.objectSize = response.header("Content-Length").toLongLong();
    }
    return r;
}

Listing parseListing(const QByteArray &xml, QString *nextToken)
{
    Listing out;
    QXmlStreamReader r(xml);
    ObjectInfo current;
    bool inContents = false, inPrefixes = false, truncated = false;
    QString element;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            element = r.name().toString();
            if (element == u"Contents") {
                inContents = true;
                current = ObjectInfo();
            } else if (element == u"CommonPrefixes") {
                inPrefixes = true;
            }
        } else if (r.isEndElement()) {
            if (r.name() == u"Contents") {
                inContents = false;
                out.objects.append(current);
            } else if (r.name() == u"CommonPrefixes") {
                inPrefixes = false;
            }
            element.clear();
        } else if (r.isCharacters() && !element.isEmpty()) {
            const QString text = r.text().toString();
            if (inContents && element == u"Key")
                current.key += text;
            else if (inContents && element == u"Size")
                current.size = text.toLongLong();
            else if (inContents && element == u"ETag")
                current.etag += text.toUtf8();
            else if (inContents && element == u"LastModified")
                current.lastModified = text;
            else if (inPrefixes && element == u"Prefix")
                out.prefixes.append(text);
            else if (!inContents && element == u"IsTruncated")
                truncated = text == u"true";
            else if (!inContents && element == u"NextContinuationToken")
                *nextToken = text;
        }
    }
    if (!truncated)
        nextToken->clear();
    if (r.hasError() && out.error.isEmpty())
        out.error = QStringLiteral("unreadable listing: %1").arg(r.errorString());
    return out;
}

} // namespace syncdesk::s3
