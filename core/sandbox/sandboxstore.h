#pragma once

// The sandbox's SQLite store. One thread owns the connection; writes are queued and committed
// in one transaction per drain (so a burst of requests costs one commit), reads are queued behind
// the writes and waited for, so a count always sees everything accepted before it. committed()
// tells when the writes queued so far are on disk: every request waiting meanwhile shares the
// same commit (group commit).

#include "sandbox/sandbox.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace syncdesk::sandbox {

struct StoreRow
{
    QByteArray recordId; // the id the sandbox answered (RecordId, sequence number, messageId)
    QByteArray key; // the client's identity for the record, when the protocol has one
    QByteArray data; // the record as delivered (decoded bytes, or the JSON object)
    qint64 partition = -1;
    qint64 sequence = -1;
};

struct StitchRow
{
    QByteArray table;
    QByteArray key; // JSON array of the key values
    qint64 sequence = 0;
    QByteArray data;
};

struct StoredStream
{
    QByteArray service;
    QByteArray name;
    QByteArray config; // JSON
};

struct DisStoredRecord
{
    qint64 sequence = 0;
    QByteArray partitionKey;
    QByteArray data;
    qint64 receivedMs = 0;
};

class SandboxStore final
{
    Q_DISABLE_COPY_MOVE(SandboxStore)
public:
    SandboxStore();
    ~SandboxStore();

    // dataDir empty: a private in-memory database.
    bool open(const QString &dataDir, QString *error);
    void close();
    // True when the store is a file (dataDir given), false for the in-memory database.
    bool isPersistent() const;
    // Finishes with true once everything queued before the call is committed, with false when that
    // commit failed (nothing of it was kept).
    QFuture<bool> committed();

    void append(const QByteArray &service, const QByteArray &target, const QByteArray &requestId,
                qint64 receivedMs, std::vector<StoreRow> rows);
    void upsertStitch(std::vector<StitchRow> rows);
    void saveStream(const StoredStream &stream);
    void removeStream(const QByteArray &service, const QByteArray &name);
    void reset();

    std::vector<StoredStream> streams();
    SandboxCounts counts(const QByteArray &service, const QByteArray &target);
    // Admin API bodies.
    QByteArray targetsJson(const QByteArray &service);
    QByteArray recordsJson(const QByteArray &service, const QByteArray &target, qint64 offset,
                           qint64 limit);
    QByteArray stitchRowsJson(const QByteArray &table, qint64 offset, qint64 limit);
    // DIS read-back: records of one partition from `fromSequence`, at most `maxCount`, stopping
    // before `maxBytes` of data (but never returning a record larger than maxBytes).
    std::vector<DisStoredRecord> disRead(const QByteArray &stream, qint64 partition,
                                         qint64 fromSequence, qint64 maxBytes, int maxCount);
    qint64 disSequenceAt(const QByteArray &stream, qint64 partition, qint64 timestampMs);
    // (stream, partition) -> highest stored sequence, to continue numbering after a restart.
    std::vector<std::tuple<QByteArray, qint64, qint64>> disMaxSequences();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace syncdesk::sandbox
