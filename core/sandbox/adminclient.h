#pragma once

// A client of the sandbox's admin API (see sandbox.h), shared by the window's sandbox page and
// the tests. Blocking (network): call it off the UI thread.

#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

namespace syncdesk {

struct SandboxAdminReply
{
    QJsonObject body;
    QString error; // empty when the sandbox answered 200
};

class SandboxAdminClient final
{
public:
    explicit SandboxAdminClient(QString baseUrl, int timeoutMs = 10000);

    // GET /_sandbox/targets: {"targets":[{service,target,records,requests}]}
    SandboxAdminReply targets() const;
    // GET /_sandbox/records: {total,offset,nextOffset?,records:[...]}
    SandboxAdminReply records(const QString &service, const QString &target, qint64 offset,
                              int limit) const;
    // GET /_sandbox<path>
    SandboxAdminReply get(const QString &path, const QUrlQuery &query = {}) const;

private:
    QString m_baseUrl;
    int m_timeoutMs;
};

} // namespace syncdesk
