#include "destination/signing/sigv4.h"

namespace syncdesk::sigv4 {

using namespace signing;

QByteArray Scope::toString() const
{
    return date + '/' + region + '/' + service + "/aws4_request";
}

std::optional<Scope> Scope::parse(QByteArrayView text)
{
    const QList<QByteArrayView> parts = splitView(text, '/');
    if (parts.size() != 4 || parts[3] != "aws4_request" || parts[0].size() != 8)
        return std::nullopt;
    return Scope{parts[0].toByteArray(), parts[1].toByteArray(), parts[2].toByteArray()};
}

QByteArray canonicalRequest(const SignableRequest &request, const QList<QByteArray> &signedHeaders)
{
    return canonicalRequestLayout(request.method, canonicalPath(request.path),
                                  canonicalQuery(request.query),
                                  canonicalHeaders(request, signedHeaders, true),
                                  joinNames(signedHeaders), request.payloadHash);
}

QByteArray stringToSign(QByteArrayView amzDate, const Scope &scope, QByteArrayView canonicalRequest)
{
    QByteArray out = kAlgorithm.toByteArray();
    out.append('\n').append(amzDate).append('\n').append(scope.toString()).append('\n');
    out.append(sha256Hex(canonicalRequest));
    return out;
}

QByteArray signingKey(QByteArrayView secretKey, const Scope &scope)
{
    const QByteArray kDate = hmacSha256(QByteArray("AWS4" + secretKey.toByteArray()), scope.date);
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, "aws4_request");
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
                 QByteArrayView service, const QDateTime &now, const QByteArray &payloadHash)
{
    removeHeader(request.headers, "Authorization");
    const QByteArray amzDate = formatCompactDate(now);
    bool hasHost = false;
    for (const auto &h : request.headers)
        hasHost = hasHost || h.first.compare("host", Qt::CaseInsensitive) == 0;
    if (!hasHost)
        request.headers.append({"Host", urlAuthority(request.url)});
    setHeader(request.headers, "X-Amz-Date", amzDate);
    if (!credentials.sessionToken.isEmpty())
        setHeader(request.headers, "X-Amz-Security-Token", credentials.sessionToken);

    const SignableRequest signable = SignableRequest::fromHttpRequest(request, payloadHash);
    const QList<QByteArray> names = allHeaderNames(request.headers);
    const Scope scope{amzDate.first(8), region.toByteArray(), service.toByteArray()};
    const QByteArray sts = stringToSign(amzDate, scope, canonicalRequest(signable, names));
    const QByteArray sig = signature(signingKey(credentials.secretKey, scope), sts);
    request.headers.append(
        {"Authorization", authorization(credentials.accessKeyId, scope, names, sig)});
}

VerifyError verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                   QByteArrayView secretKey, QDateTime *requestTime, Scope *scopeOut)
{
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        return VerifyError::MissingAuthorization;
    const auto auth = parseAuthorization(header);
    if (!auth)
        return VerifyError::MalformedAuthorization;
    if (scopeOut)
        *scopeOut = auth->scope;
    const QByteArray amzDate = request.header("X-Amz-Date");
    if (amzDate.isEmpty())
        return VerifyError::MissingDate;
    const auto time = parseCompactDate(amzDate);
    if (!time)
        return VerifyError::MalformedDate;
    if (requestTime)
        *requestTime = *time;
    if (auth->accessKeyId != expectedAccessKeyId)
        return VerifyError::UnknownAccessKey;
    if (auth->scope.date != amzDate.first(8))
        return VerifyError::ScopeMismatch;
    const QByteArray sts
        = stringToSign(amzDate, auth->scope, canonicalRequest(request, auth->signedHeaders));
    const QByteArray expected = signature(signingKey(secretKey, auth->scope), sts);
    return constantTimeEquals(expected, auth->signature) ? VerifyError::None
                                                         : VerifyError::SignatureMismatch;
}

} // namespace syncdesk::sigv4
