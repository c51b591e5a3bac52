#include "destination/signing/huaweisign.h"

namespace syncdesk::huaweisign {

std::optional<Variant> variantFromName(const QString &name)
{
    if (name.isEmpty() || name == u"apig")
        return Variant::ApiGateway;
    if (name == u"scoped")
        return Variant::Scoped;
    return std::nullopt;
}

signing::VerifyError verify(const signing::SignableRequest &request,
                            QByteArrayView expectedAccessKeyId, QByteArrayView secretKey,
                            QDateTime *requestTime, Variant *variant)
{
    const Variant named = kApiGateway.parseAuthorization(request.header("Authorization"))
        ? Variant::ApiGateway
        : Variant::Scoped;
    if (variant)
        *variant = named;
    return dialect(named).verify(request, expectedAccessKeyId, secretKey, requestTime);
}

} // namespace syncdesk::huaweisign
