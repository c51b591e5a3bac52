#include "destination/signing/signingutil.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <initializer_list>

namespace syncdesk::signing {

Clock systemClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

SignableRequest SignableRequest::fromHttpRequest(const HttpRequest &request,
                                                 const QByteArray &payloadHash)
{
    SignableRequest r;
    r.method = request.method;
    QByteArrayView url(request.url);
    const qsizetype scheme = url.indexOf("://");
    qsizetype pathStart = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    QByteArrayView rest = pathStart < 0 ? QByteArrayView("/") : url.sliced(pathStart);
    const qsizetype hash = rest.indexOf('#');
    if (hash >= 0)
        rest = rest.first(hash);
    const qsizetype q = rest.indexOf('?');
    if (q >= 0) {
        r.path = rest.first(q).toByteArray();
        r.query = rest.sliced(q + 1).toByteArray();
    } else {
        r.path = rest.toByteArray();
    }
    if (r.path.isEmpty())
        r.path = "/";
    r.headers = request.headers;
    r.payloadHash = payloadHash.isEmpty() ? sha256Hex(request.body) : payloadHash;
    return r;
}

QByteArray SignableRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers)
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

namespace {

// SHA-256 fetched once (an implicit fetch per call costs about a microsecond in OpenSSL 3) and
// one digest context per thread.
const EVP_MD *sha256Md()
{
    static EVP_MD *md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

EVP_MD_CTX *threadContext()
{
    thread_local struct Holder
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ~Holder() { EVP_MD_CTX_free(ctx); }
    } holder;
    return holder.ctx;
}

void digest(std::initializer_list<QByteArrayView> parts, unsigned char *out)
{
    EVP_MD_CTX *ctx = threadContext();
    const EVP_MD *md = sha256Md();
    bool ok = ctx && md && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
    for (QByteArrayView part : parts)
        ok = ok && EVP_DigestUpdate(ctx, part.data(), size_t(part.size())) == 1;
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
    // Without SHA-256 requests would be signed and named wrongly, and a changed file could pass
    // for the one a run started on: nothing can go on.
    if (!ok)
        qFatal("OpenSSL cannot compute SHA-256 (is its default provider loaded?)");
}

} // namespace

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    digest({data}, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray sha256Hex(QByteArrayView data)
{
    return toHex(sha256(data));
}

// RFC 2104 over the cached SHA-256 (OpenSSL's one-shot HMAC() fetches its algorithms per call).
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    constexpr int kBlock = 64;
    unsigned char k[kBlock] = {};
    if (key.size() > kBlock)
        digest({key}, k);
    else
        std::memcpy(k, key.data(), size_t(key.size()));
    unsigned char ipad[kBlock], opad[kBlock];
    for (int i = 0; i < kBlock; ++i) {
        ipad[i] = k[i] ^ 0x36;
        opad[i] = k[i] ^ 0x5c;
    }
    unsigned char inner[32];
    digest({QByteArrayView(ipad, kBlock), data}, inner);
    QByteArray out(32, Qt::Uninitialized);
    digest({QByteArrayView(opad, kBlock), QByteArrayView(inner, 32)},
           reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray toHex(QByteArrayView raw)
{
    static constexpr char digits[] = "0123456789abcdef";
    QByteArray out(raw.size() * 2, Qt::Uninitialized);
    char *p = out.data();
    for (char c : raw) {
        const auto b = static_cast<unsigned char>(c);
        *p++ = digits[b >> 4];
        *p++ = digits[b & 0xf];
    }
    return out;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~';
}

} // namespace

QByteArray uriEncode(QByteArrayView s, bool keepSlash)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(s.size());
    for (char c : s) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            const auto b = static_cast<unsigned char>(c);
            out.append('%');
            out.append(digits[b >> 4]);
            out.append(digits[b & 0xf]);
        }
    }
    return out;
}

QByteArray formatCompactDate(const QDateTime &utc)
{
    // Written digit by digit: QDateTime::toString() goes through QLocale and the calendar, about
    // 1 % of a Firehose upload's sending thread's CPU samples at one signature per request.
    const QDateTime t = utc.toUTC();
    const QDate d = t.date();
    const QTime time = t.time();
    if (!t.isValid() || d.year() < 1 || d.year() > 9999) // Qt's form for what the digits cannot say
        return t.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    QByteArray out(16, Qt::Uninitialized);
    char *p = out.data();
    const auto put = [&p](int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            p[i] = char('0' + value % 10);
        p += digits;
    };
    put(d.year(), 4);
    put(d.month(), 2);
    put(d.day(), 2);
    *p++ = 'T';
    put(time.hour(), 2);
    put(time.minute(), 2);
    put(time.second(), 2);
    *p = 'Z';
    return out;
}

std::optional<QDateTime> parseCompactDate(QByteArrayView text)
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return std::nullopt;
    QDateTime dt = QDateTime::fromString(QString::fromLatin1(text.first(15)),
                                         QStringLiteral("yyyyMMdd'T'HHmmss"));
    if (!dt.isValid())
        return std::nullopt;
    return QDateTime(dt.date(), dt.time(), Qt::UTC);
}

void setHeader(HttpHeaders &headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

void removeHeader(HttpHeaders &headers, QByteArrayView name)
{
    headers.removeIf([name](const QPair<QByteArray, QByteArray> &h) {
        return QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}

QString verifyErrorText(VerifyError error)
{
    switch (error) {
    case VerifyError::None: return {};
    case VerifyError::MissingAuthorization: return QStringLiteral("missing Authorization header");
    case VerifyError::MalformedAuthorization:
        return QStringLiteral("malformed Authorization header");
    case VerifyError::MissingDate: return QStringLiteral("missing request date header");
    case VerifyError::MalformedDate: return QStringLiteral("malformed request date header");
    case VerifyError::UnknownAccessKey: return QStringLiteral("unknown access key id");
    case VerifyError::ScopeMismatch: return QStringLiteral("credential scope does not match");
    case VerifyError::SignatureMismatch:
        return QStringLiteral("the request signature does not match the calculated signature");
    }
    return {};
}

} // namespace syncdesk::signing
