#include "destination/signing/volcsign.h"

namespace syncdesk::volcsign {

using namespace signing;

QByteArray Scope::toString() const
{
    return date + '/' + region + '/' + service + "/request";
}

std::optional<Scope> Scope::parse(QByteArrayView text)
{
    const QList<QByteArrayView> parts = splitView(text, '/');
    if (parts.size() != 4 || parts[3] != "request" || parts[0].size() != 8)
        return std::nullopt;
    return Scope{parts[0].toByteArray(), parts[1].toByteArray(), parts[2].toByteArray()};
}

QList<QByteArray> signedHeaderNames(const HttpHeaders &headers)
{
    QList<QByteArray> names = allHeaderNames(headers);
    names.removeIf([](const QByteArray &n) {
        return n != "content-type" && n != "content-md5" && n != "host" && !n.startsWith("x-");
    });
    return names;
}

QByteArray canonicalRequest(const SignableRequest &request, const QList<QByteArray> &signedHeaders)
{
    return canonicalRequestLayout(request.method, canonicalPath(request.path),
                                  canonicalQuery(request.query),
                                  canonicalHeaders(request, signedHeaders, false),
                                  joinNames(signedHeaders), request.payloadHash);
}

QByteArray stringToSign(QByteArrayView xDate, const Scope &scope, QByteArrayView canonicalRequest)
{
    QByteArray out = kAlgorithm.toByteArray();
    out.append('\n').append(xDate).append('\n').append(scope.toString()).append('\n');
    out.append(sha256Hex(canonicalRequest));
    return out;
}

QByteArray signingKey(QByteArrayView secretKey, const Scope &scope)
{
    const QByteArray kDate = hmacSha256(secretKey, scope.date);
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, "request");
}

QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign)
{
    return toHex(hmacSha256(signingKey, stringToSign));
}

QByteArray authorization(QByteArrayView accessKeyId, const Scope &scope,
                         const QList<QByteArray> &signedHeaders, QByteArrayView signature)
{
    QByteArray out = kAlgorithm.toByteArray();
    out.append(" Credential=").append(accessKeyId).append('/').append(scope.toString());
    out.append(", SignedHeaders=").append(joinNames(signedHeaders));
    out.append(", Signature=").append(signature);
    return out;
}

std::optional<ParsedAuthorization> parseAuthorization(QByteArrayView header)
{
    const auto fields = parseAuthorizationFields(header);
    if (!fields || fields->algorithm != kAlgorithm)
        return std::nullopt;
    const QByteArray credential = fields->field("Credential");
    const qsizetype slash = credential.indexOf('/');
    if (slash <= 0)
        return std::nullopt;
    const auto scope = Scope::parse(QByteArrayView(credential).sliced(slash + 1));
    const QByteArray signedHeaders = fields->field("SignedHeaders");
    const QByteArray sig = fields->field("Signature");
    if (!scope || signedHeaders.isEmpty() || sig.isEmpty())
        return std::nullopt;
    return ParsedAuthorization{credential.first(slash), *scope, splitNames(signedHeaders), sig};
}

void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                 const QDateTime &now, const QByteArray &payloadHash)
{
    removeHeader(request.headers, "Authorization");
    const QByteArray hash = payloadHash.isEmpty() ? sha256Hex(request.body) : payloadHash;
    const QByteArray xDate = formatCompactDate(now);
    bool hasHost = false;
    for (const auto &h : request.headers)
        hasHost = hasHost || h.first.compare("host", Qt::CaseInsensitive) == 0;
    if (!hasHost)
        request.headers.append({"Host", urlAuthority(request.url)});
    setHeader(request.headers, "X-Date", xDate);
    setHeader(request.headers, "X-Content-Sha256", hash);
    if (!credentials.securityToken.isEmpty())
        setHeader(request.headers, "X-Security-Token", credentials.securityToken);

    const SignableRequest signable = SignableRequest::fromHttpRequest(request, hash);
    const QList<QByteArray> names = signedHeaderNames(request.headers);
    const Scope scope{xDate.first(8), region.toByteArray()};
    const QByteArray sts = stringToSign(xDate, scope, canonicalRequest(signable, names));
    const QByteArray sig = signature(signingKey(credentials.secretKey, scope), sts);
    request.headers.append(
        {"Authorization", authorization(credentials.accessKeyId, scope, names, sig)});
}

VerifyError verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                   QByteArrayView secretKey, QDateTime *requestTime)
{
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        return VerifyError::MissingAuthorization;
    const auto auth = parseAuthorization(header);
    if (!auth)
        return VerifyError::MalformedAuthorization;
    const QByteArray xDate = request.header("X-Date");
    if (xDate.isEmpty())
        return VerifyError::MissingDate;
    const auto time = parseCompactDate(xDate);
    if (!time)
        return VerifyError::MalformedDate;
    if (requestTime)
        *requestTime = *time;
    if (auth->accessKeyId != expectedAccessKeyId)
        return VerifyError::UnknownAccessKey;
    if (auth->scope.date != xDate.first(8) || auth->scope.service != kService)
        return VerifyError::ScopeMismatch;
    const QByteArray contentHash = request.header("X-Content-Sha256");
    if (!contentHash.isEmpty() && contentHash != request.payloadHash)
        return VerifyError::SignatureMismatch;
    const QByteArray sts
        = stringToSign(xDate, auth->scope, canonicalRequest(request, auth->signedHeaders));
    const QByteArray expected = signature(signingKey(secretKey, auth->scope), sts);
    return constantTimeEquals(expected, auth->signature) ? VerifyError::None
                                                         : VerifyError::SignatureMismatch;
}

QByteArray tenantSignature(QByteArrayView token, QByteArrayView body, QByteArrayView tenantId,
                           QByteArrayView timestamp, QByteArrayView nonce)
{
    QByteArray material;
    material.reserve(token.size() + body.size() + tenantId.size() + timestamp.size()
                     + nonce.size());
    material.append(token).append(body).append(tenantId).append(timestamp).append(nonce);
    return sha256Hex(material);
}

void signRequestWithToken(HttpRequest &request, QByteArrayView token, QByteArrayView tenantId,
                          const QDateTime &now, QByteArrayView nonce)
{
    const QByteArray ts = QByteArray::number(now.toSecsSinceEpoch());
    setHeader(request.headers, "Tenant-Ts", ts);
    setHeader(request.headers, "Tenant-Nonce", nonce.toByteArray());
    setHeader(request.headers, "Tenant-Signature",
              tenantSignature(token, request.body, tenantId, ts, nonce));
}

VerifyError verifyToken(const SignableRequest &request, QByteArrayView body, QByteArrayView token,
                        QByteArrayView tenantId)
{
    const QByteArray sig = request.header("Tenant-Signature");
    if (sig.isEmpty())
        return VerifyError::MissingAuthorization;
    const QByteArray ts = request.header("Tenant-Ts");
    if (ts.isEmpty())
        return VerifyError::MissingDate;
    bool ok = false;
    ts.toLongLong(&ok);
    if (!ok)
        return VerifyError::MalformedDate;
    const QByteArray expected
        = tenantSignature(token, body, tenantId, ts, request.header("Tenant-Nonce"));
    return constantTimeEquals(expected, sig) ? VerifyError::None : VerifyError::SignatureMismatch;
}

} // namespace syncdesk::volcsign
