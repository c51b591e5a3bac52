#include "destination/signing/huaweisign.h"

namespace syncdesk::huaweisign {

using namespace signing;

std::optional<Variant> variantFromName(const QString &name)
{
    if (name.isEmpty() || name == u"apig")
        return Variant::ApiGateway;
    if (name == u"scoped")
        return Variant::Scoped;
    return std::nullopt;
}

QByteArray Scope::toString() const
{
    return date + '/' + region + '/' + service + "/sdk_request";
}

std::optional<Scope> Scope::parse(QByteArrayView text)
{
    const QList<QByteArrayView> parts = splitView(text, '/');
    if (parts.size() != 4 || parts[3] != "sdk_request" || parts[0].size() != 8)
        return std::nullopt;
    return Scope{parts[0].toByteArray(), parts[1].toByteArray(), parts[2].toByteArray()};
}

QByteArray canonicalUri(QByteArrayView rawPath, Variant variant)
{
    QByteArray uri = canonicalPath(rawPath);
    if (variant == Variant::ApiGateway && !uri.endsWith('/'))
        uri.append('/');
    return uri;
}

QByteArray canonicalRequest(const SignableRequest &request, const QList<QByteArray> &signedHeaders,
                            Variant variant)
{
    return canonicalRequestLayout(request.method, canonicalUri(request.path, variant),
                                  canonicalQuery(request.query),
                                  canonicalHeaders(request, signedHeaders, false),
                                  joinNames(signedHeaders), request.payloadHash);
}

QByteArray stringToSign(Variant variant, QByteArrayView sdkDate, const Scope &scope,
                        QByteArrayView canonicalRequest)
{
    QByteArray out = kAlgorithm.toByteArray();
    out.append('\n').append(sdkDate).append('\n');
    if (variant == Variant::Scoped)
        out.append(scope.toString()).append('\n');
    out.append(sha256Hex(canonicalRequest));
    return out;
}

QByteArray signingKey(Variant variant, QByteArrayView secretKey, const Scope &scope)
{
    if (variant == Variant::ApiGateway)
        return secretKey.toByteArray();
    const QByteArray kDate = hmacSha256(QByteArray("SDK" + secretKey.toByteArray()), scope.date);
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, "sdk_request");
}

QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign)
{
    return toHex(hmacSha256(signingKey, stringToSign));
}

QByteArray authorization(Variant variant, QByteArrayView accessKeyId, const Scope &scope,
                         const QList<QByteArray> &signedHeaders, QByteArrayView signature)
{
    QByteArray out = kAlgorithm.toByteArray();
    if (variant == Variant::ApiGateway)
        out.append(" Access=").append(accessKeyId);
    else
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
    ParsedAuthorization result;
    const QByteArray access = fields->field("Access");
    const QByteArray credential = fields->field("Credential");
    if (!access.isEmpty()) {
        result.variant = Variant::ApiGateway;
        result.accessKeyId = access;
    } else {
        const qsizetype slash = credential.indexOf('/');
        if (slash <= 0)
            return std::nullopt;
        const auto scope = Scope::parse(QByteArrayView(credential).sliced(slash + 1));
        if (!scope)
            return std::nullopt;
        result.variant = Variant::Scoped;
        result.accessKeyId = credential.first(slash);
        result.scope = *scope;
    }
    const QByteArray signedHeaders = fields->field("SignedHeaders");
    result.signature = fields->field("Signature");
    if (signedHeaders.isEmpty() || result.signature.isEmpty())
        return std::nullopt;
    result.signedHeaders = splitNames(signedHeaders);
    return result;
}

void signRequest(HttpRequest &request, const Credentials &credentials, Variant variant,
                 QByteArrayView region, QByteArrayView service, const QDateTime &now,
                 const QByteArray &payloadHash)
{
    removeHeader(request.headers, "Authorization");
    const QByteArray sdkDate = formatCompactDate(now);
    bool hasHost = false;
    for (const auto &h : request.headers)
        hasHost = hasHost || h.first.compare("host", Qt::CaseInsensitive) == 0;
    if (!hasHost)
        request.headers.append({"Host", urlAuthority(request.url)});
    setHeader(request.headers, "X-Sdk-Date", sdkDate);
    if (!credentials.securityToken.isEmpty())
        setHeader(request.headers, "X-Security-Token", credentials.securityToken);

    const SignableRequest signable = SignableRequest::fromHttpRequest(request, payloadHash);
    const QList<QByteArray> names = allHeaderNames(request.headers);
    const Scope scope{sdkDate.first(8), region.toByteArray(), service.toByteArray()};
    const QByteArray sts
        = stringToSign(variant, sdkDate, scope, canonicalRequest(signable, names, variant));
    const QByteArray sig = signature(signingKey(variant, credentials.secretKey, scope), sts);
    request.headers.append(
        {"Authorization", authorization(variant, credentials.accessKeyId, scope, names, sig)});
}

VerifyError verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                   QByteArrayView secretKey, QDateTime *requestTime, Variant *variant)
{
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        return VerifyError::MissingAuthorization;
    const auto auth = parseAuthorization(header);
    if (!auth)
        return VerifyError::MalformedAuthorization;
    if (variant)
        *variant = auth->variant;
    const QByteArray sdkDate = request.header("X-Sdk-Date");
    if (sdkDate.isEmpty())
        return VerifyError::MissingDate;
    const auto time = parseCompactDate(sdkDate);
    if (!time)
        return VerifyError::MalformedDate;
    if (requestTime)
        *requestTime = *time;
    if (auth->accessKeyId != expectedAccessKeyId)
        return VerifyError::UnknownAccessKey;
    if (auth->variant == Variant::Scoped && auth->scope.date != sdkDate.first(8))
        return VerifyError::ScopeMismatch;
    const QByteArray sts
        = stringToSign(auth->variant, sdkDate, auth->scope,
                       canonicalRequest(request, auth->signedHeaders, auth->variant));
    const QByteArray expected = signature(signingKey(auth->variant, secretKey, auth->scope), sts);
    return constantTimeEquals(expected, auth->signature) ? VerifyError::None
                                                         : VerifyError::SignatureMismatch;
}

} // namespace syncdesk::huaweisign
