#pragma once

// The sandbox's own view of one HTTP exchange, independent of QtHttpServer: a request as it came
// off the wire and the reply a service builds for it, plus small JSON helpers the services share.

#include "net/httptypes.h"
#include "util/json.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <vector>

namespace syncdesk::sandbox {

struct Request
{
    QByteArray method; // "POST"
    QByteArray path; // percent-encoded, as sent
    QByteArray query; // raw query string without '?'
    HttpHeaders headers; // as sent
    QByteArray body; // decoded from the transfer encoding (not from Content-Encoding)
    QByteArray requestId; // the sandbox's id for this request
    qint64 receivedMs = 0; // wall clock
    qint64 startedNs = 0; // steady clock, for the log line

    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // Percent-decoded value of the first query parameter `key` (empty when absent).
    QByteArray queryValue(QByteArrayView key) const;
    bool hasQueryValue(QByteArrayView key) const;
};

struct Reply
{
    int status = 200;
    QByteArray contentType = "application/json";
    HttpHeaders headers;
    QByteArray body;
    // Hands what the request delivered to the store (rows, registry updates). Run before a 2xx
    // answer is sent (with a data directory, the answer waits for the store's commit) or the
    // response is "lost"; skipped when the connection is dropped.
    std::function<void()> commit;
    int records = 0; // for the log line
    QByteArray target; // for the log line

    static Reply json(int status, QByteArray body)
    {
        Reply r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
};

// JSON helpers over util/json.h's scanner.
namespace js {

// The slices of a validated JSON array's elements (the text must already be valid JSON).
void splitArray(QByteArrayView array, std::vector<QByteArrayView> &elements);
// The string value of a member (unescaped); `ok` false when it is not a string.
QByteArray string(const json::Member *m, bool *ok = nullptr);
bool isInteger(QByteArrayView number);
// {"k":"v"} helpers for small replies.
QByteArray object(std::initializer_list<std::pair<const char *, QByteArray>> stringMembers);

} // namespace js

QByteArray percentDecode(QByteArrayView s);
QByteArray newRequestId();
qint64 nowMs();
qint64 steadyNs();
// Gunzips (or inflates) `in`; false on a corrupt stream or output above `limit` bytes.
bool gunzip(QByteArrayView in, QByteArray &out, qsizetype limit);
// A 64-bit content hash, the same in every process (the store keeps it: duplicate detection).
qint64 contentHash(QByteArrayView data);

} // namespace syncdesk::sandbox
