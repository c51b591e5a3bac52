#include "destination/signing/volcsign.h"

namespace syncdesk::volcsign {

using namespace signing;

void signRequest(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                 const QDateTime &now, const QByteArray &payloadHash)
{
    kDialect.sign(request, credentials, region, kService, now, payloadHash);
}

VerifyError verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                   QByteArrayView secretKey, QDateTime *requestTime)
{
    Scope scope;
    const VerifyError error
        = kDialect.verify(request, expectedAccessKeyId, secretKey, requestTime, &scope);
    // As Dialect::verify judges the scope's date: a scope naming another service is a
    // ScopeMismatch whether or not the signature matched.
    const bool reachedScope = error == VerifyError::None || error == VerifyError::SignatureMismatch;
    return reachedScope && scope.service != kService ? VerifyError::ScopeMismatch : error;
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
