#include "connectiontest.h"

#include "net/httpclient.h"

namespace syncdesk::ui {

ConnectionTestResult testConnection(const ConnectionConfig &connection,
                                    const Credentials &credentials)
{
    ConnectionTestResult out;
    QString error;
    StreamConfig stream;
    stream.name = stream.target = QStringLiteral("syncdesk-connection-test");
    const auto destination = createDestination(connection, stream, credentials, &error);
    if (!destination) {
        out.message = QObject::tr("The connection settings cannot be used: %1").arg(error);
        return out;
    }
    const TlsOptions tls = TlsOptions::fromSettings(connection.settings);
    HttpClient client(tls, 1);
    HttpRequest request = destination->connectionTestRequest();
    request.timeoutMs = qMin(request.timeoutMs, 20000);
    const HttpResponse response = client.send(request);
    out.latencyMs = response.latencyMs;
    if (response.error != TransportError::None) {
        out.message = QObject::tr("No answer from %1: %2. Check the endpoint and your network.")
                          .arg(connection.endpoint, response.errorText);
        return out;
    }
    out.message = destination->connectionTestResult(response, &out.ok);
    return out;
}

} // namespace syncdesk::ui
