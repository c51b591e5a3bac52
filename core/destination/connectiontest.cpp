#include "destination/connectiontest.h"

#include "net/httpclient.h"

#include <QObject>

namespace syncdesk {

ConnectionTestResult testConnection(const ConnectionConfig &connection,
                                    const Credentials &credentials, int timeoutCapMs)
{
    ConnectionTestResult out;
    StreamConfig stream;
    stream.name = stream.target = QStringLiteral("syncdesk-connection-test");
    const auto destination = createDestination(connection, stream, credentials, &out.problem);
    if (!destination) {
        out.message = QObject::tr("The connection settings cannot be used: %1").arg(out.problem);
        return out;
    }
    HttpClient client(TlsOptions::fromSettings(connection.settings), 1);
    HttpRequest request = destination->connectionTestRequest();
    if (timeoutCapMs > 0)
        request.timeoutMs = qMin(request.timeoutMs, timeoutCapMs);
    const HttpResponse response = client.send(request);
    out.latencyMs = response.latencyMs;
    out.httpStatus = response.status;
    if (response.error != TransportError::None) {
        out.outcome = ConnectionTestResult::Outcome::NoAnswer;
        out.message = QObject::tr("No answer from %1: %2. Check the endpoint and your network.")
                          .arg(connection.endpoint, response.errorText);
        return out;
    }
    out.outcome = ConnectionTestResult::Outcome::Answered;
    out.message = destination->connectionTestResult(response, &out.ok);
    return out;
}

} // namespace syncdesk
