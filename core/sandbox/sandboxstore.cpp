#include "sandboxstore.h"

#include "sandboxtypes.h"
#include "util/json.h"

#include <QDir>
#include <QHash>
#include <QPromise>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>

namespace syncdesk::sandbox {

namespace {

std::atomic<int> s_connectionCounter{0};

// QtSql costs more per bound value than SQLite does per row (positional binding formats a
// placeholder name for every value), so the hot insert goes to SQLite directly, through the
// library the QSQLITE driver already loaded. Without it, the QSqlQuery path is used.
struct SqliteApi
{
    decltype(&sqlite3_prepare_v2) prepare = nullptr;
    decltype(&sqlite3_bind_int64) bindInt64 = nullptr;
    decltype(&sqlite3_bind_text) bindText = nullptr;
    decltype(&sqlite3_bind_blob) bindBlob = nullptr;
    decltype(&sqlite3_bind_null) bindNull = nullptr;
    decltype(&sqlite3_step) step = nullptr;
    decltype(&sqlite3_reset) reset = nullptr;
    decltype(&sqlite3_finalize) finalize = nullptr;
    decltype(&sqlite3_errmsg) errmsg = nullptr;

    bool load()
    {
        void *lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_NOLOAD);
        if (!lib)
            return false;
        auto sym = [lib](auto &fn, const char *name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            return fn != nullptr;
        };
        return sym(prepare, "sqlite3_prepare_v2") && sym(bindInt64, "sqlite3_bind_int64")
            && sym(bindText, "sqlite3_bind_text") && sym(bindBlob, "sqlite3_bind_blob")
            && sym(bindNull, "sqlite3_bind_null") && sym(step, "sqlite3_step")
            && sym(reset, "sqlite3_reset") && sym(finalize, "sqlite3_finalize")
            && sym(errmsg, "sqlite3_errmsg");
    }
};

// The connection and prepared statements; lives on the store thread only.
struct Db
{
    QString name;
    QSqlDatabase db;
    std::unique_ptr<QSqlQuery> insertRecord;
    std::unique_ptr<QSqlQuery> upsertRow;
    QHash<QByteArray, qint64> targetIds;
    SqliteApi api;
    sqlite3 *handle = nullptr;
    sqlite3_stmt *insertStmt = nullptr;
    // The drain in progress: whether one of its writes failed, and who waits for its commit.
    bool writeFailed = false;
    std::vector<std::function<void(bool)>> onCommit;

    void writeError(const char *what, const QString &error)
    {
        writeFailed = true;
        qWarning("sandbox store: %s failed: %s", what, qPrintable(error));
    }

    void prepareDirectInsert()
    {
        const QVariant v = db.driver()->handle();
        if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0 || !api.load())
            return;
        handle = *static_cast<sqlite3 *const *>(v.constData());
        const char *sql = "INSERT INTO records(target_id, request_id, received_ms, record_id, key,"
                          " hash, part, seq, data) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (!handle || api.prepare(handle, sql, -1, &insertStmt, nullptr) != SQLITE_OK)
            insertStmt = nullptr;
    }

    void finalizeDirectInsert()
    {
        if (insertStmt)
            api.finalize(insertStmt);
        insertStmt = nullptr;
    }

    void bindText(int i, const QByteArray &s)
    {
        if (s.isNull())
            api.bindNull(insertStmt, i);
        else
            api.bindText(insertStmt, i, s.constData(), int(s.size()), SQLITE_STATIC);
    }

    // One row through the direct statement; false if the direct path is unavailable.
    bool insertDirect(qint64 tid, const QByteArray &requestId, qint64 receivedMs, const StoreRow &r)
    {
        if (!insertStmt)
            return false;
        api.bindInt64(insertStmt, 1, tid);
        bindText(2, requestId);
        api.bindInt64(insertStmt, 3, receivedMs);
        bindText(4, r.recordId);
        bindText(5, r.key);
        api.bindInt64(insertStmt, 6, contentHash(r.data));
        if (r.partition >= 0)
            api.bindInt64(insertStmt, 7, r.partition);
        else
            api.bindNull(insertStmt, 7);
        if (r.sequence >= 0)
            api.bindInt64(insertStmt, 8, r.sequence);
        else
            api.bindNull(insertStmt, 8);
        api.bindBlob(insertStmt, 9, r.data.constData(), int(r.data.size()), SQLITE_STATIC);
        if (api.step(insertStmt) != SQLITE_DONE)
            writeError("insert", QString::fromUtf8(api.errmsg(handle)));
        api.reset(insertStmt);
        return true;
    }

    bool exec(const QString &sql, QString *error = nullptr)
    {
        QSqlQuery q(db);
        if (q.exec(sql))
            return true;
        if (error)
            *error = q.lastError().text();
        writeError(qPrintable(sql), q.lastError().text());
        return false;
    }

    qint64 targetId(const QByteArray &service, const QByteArray &target, bool create)
    {
        const QByteArray k = service + '\0' + target;
        if (auto it = targetIds.constFind(k); it != targetIds.cend())
            return *it;
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT id FROM targets WHERE service=? AND target=?"));
        q.addBindValue(QString::fromUtf8(service));
        q.addBindValue(QString::fromUtf8(target));
        if (q.exec() && q.next()) {
            const qint64 id = q.value(0).toLongLong();
            targetIds.insert(k, id);
            return id;
        }
        if (!create)
            return -1;
        q.prepare(QStringLiteral("INSERT INTO targets(service, target) VALUES(?, ?)"));
        q.addBindValue(QString::fromUtf8(service));
        q.addBindValue(QString::fromUtf8(target));
        if (!q.exec())
            return -1;
        const qint64 id = q.lastInsertId().toLongLong();
        targetIds.insert(k, id);
        return id;
    }
};

QVariant textOrNull(const QByteArray &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(QString::fromUtf8(s));
}

void appendData(QByteArray &out, const QByteArray &data)
{
    if (json::isValidUtf8(data)) {
        out += "\"data\":";
        json::appendString(out, QByteArrayView(data));
    } else {
        out += "\"dataBase64\":";
        out += '"';
        out += data.toBase64();
        out += '"';
    }
}

void appendTextMember(QByteArray &out, const char *name, const QVariant &v)
{
    out += ",\"";
    out += name;
    out += "\":";
    if (v.isNull())
        out += "null";
    else
        json::appendString(out, v.toString());
}

} // namespace

struct SandboxStore::Private
{
    using Job = std::function<void(Db &)>;

    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable drained;
    std::deque<Job> queue;
    qsizetype queuedBytes = 0;
    bool stopping = false;
    std::atomic<bool> running{false};
    bool persistent = false;

    // Bytes queued or being written, at most: a request that would go past waits (so a client
    // faster than the disk meets slower answers, and the sandbox's memory stays bounded).
    static constexpr qsizetype kMaxQueuedBytes = 128 * 1024 * 1024;

    void post(Job job, qsizetype bytes = 0)
    {
        std::unique_lock lock(mutex);
        drained.wait(lock, [&] { return queuedBytes < kMaxQueuedBytes || stopping; });
        queue.push_back(std::move(job));
        queuedBytes += bytes;
        wake.notify_one();
    }

    template<typename T> T call(std::function<T(Db &)> fn)
    {
        if (!running)
            return T{};
        auto promise = std::make_shared<std::promise<T>>();
        auto future = promise->get_future();
        post([promise, fn = std::move(fn)](Db &db) { promise->set_value(fn(db)); });
        return future.get();
    }

    void run(const QString &path, std::promise<QString> opened)
    {
        Db db;
        db.name = QStringLiteral("syncdesk-sandbox-%1").arg(s_connectionCounter.fetch_add(1));
        {
            db.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), db.name);
            db.db.setDatabaseName(path);
            QString error;
            if (!db.db.open())
                error = db.db.lastError().text();
            else if (!createSchema(db, path != QLatin1String(":memory:"), &error))
                error = QStringLiteral("cannot create the schema: %1").arg(error);
            const bool ok = error.isEmpty();
            opened.set_value(error);
            if (ok)
                loop(db);
            db.finalizeDirectInsert();
            db.insertRecord.reset();
            db.upsertRow.reset();
            db.db.close();
            db.db = QSqlDatabase();
        }
        QSqlDatabase::removeDatabase(db.name);
    }

    static bool createSchema(Db &db, bool onDisk, QString *error)
    {
        if (onDisk && !db.exec(QStringLiteral("PRAGMA journal_mode=WAL"), error))
            return false;
        const char *statements[] = {
            // A commit reaches the WAL file (the system's cache) before the answer goes out: an
            // acknowledged write survives the death of the sandbox, kill -9 included. No fsync: an
            // OS crash may lose the last commits (an fsync per group commit, synchronous=FULL,
            // cost 25-60% of bench_sandbox's disk throughput).
            "PRAGMA synchronous=OFF",
            "PRAGMA temp_store=MEMORY",
            "PRAGMA cache_size=-65536",
            "CREATE TABLE IF NOT EXISTS targets(id INTEGER PRIMARY KEY, service TEXT NOT NULL,"
            " target TEXT NOT NULL, UNIQUE(service, target))",
            "CREATE TABLE IF NOT EXISTS records(id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL,"
            " request_id TEXT, received_ms INTEGER, record_id TEXT, key TEXT, hash INTEGER,"
            " part INTEGER, seq INTEGER, data BLOB)",
            // Only DIS rows are read by partition and sequence.
            "CREATE INDEX IF NOT EXISTS records_partition ON records(target_id, part, seq)"
            " WHERE part IS NOT NULL",
            "CREATE TABLE IF NOT EXISTS stitch_rows(table_name TEXT NOT NULL, key TEXT NOT NULL,"
            " sequence INTEGER, data TEXT, updated_ms INTEGER, PRIMARY KEY(table_name, key))",
            "CREATE TABLE IF NOT EXISTS streams(service TEXT NOT NULL, name TEXT NOT NULL,"
            " config TEXT, PRIMARY KEY(service, name))",
        };
        for (const char *sql : statements)
            if (!db.exec(QString::fromLatin1(sql), error))
                return false;
        db.insertRecord = std::make_unique<QSqlQuery>(db.db);
        db.insertRecord->prepare(
            QStringLiteral("INSERT INTO records(target_id, request_id, received_ms, record_id, key,"
                           " hash, part, seq, data) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        db.upsertRow = std::make_unique<QSqlQuery>(db.db);
        db.upsertRow->prepare(QStringLiteral(
            "INSERT INTO stitch_rows(table_name, key, sequence, data, updated_ms)"
            " VALUES(?, ?, ?, ?, ?) ON CONFLICT(table_name, key) DO UPDATE SET"
            " sequence=excluded.sequence, data=excluded.data, updated_ms=excluded.updated_ms"
            " WHERE excluded.sequence >= stitch_rows.sequence"));
        db.prepareDirectInsert();
        return true;
    }

    void loop(Db &db)
    {
        for (;;) {
            std::deque<Job> jobs;
            qsizetype bytes = 0;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return !queue.empty() || stopping; });
                if (queue.empty())
                    return;
                jobs.swap(queue);
                bytes = queuedBytes;
            }
            db.db.transaction();
            for (auto &job : jobs)
                job(db);
            // A drain whose writes did not all succeed keeps none of them, so what a waiting
            // request is told matches what the store holds.
            const bool ok = !db.writeFailed && db.db.commit();
            if (!ok) {
                qWarning("sandbox store: commit failed, %lld queued jobs rolled back: %s",
                         static_cast<long long>(jobs.size()), qPrintable(db.db.lastError().text()));
                db.db.rollback();
            }
            db.writeFailed = false;
            for (auto &done : db.onCommit)
                done(ok);
            db.onCommit.clear();
            jobs.clear();
            std::lock_guard lock(mutex);
            queuedBytes -= bytes;
            drained.notify_all();
        }
    }
};

SandboxStore::SandboxStore()
    : d(std::make_unique<Private>())
{ }

SandboxStore::~SandboxStore()
{
    close();
}

bool SandboxStore::open(const QString &dataDir, QString *error)
{
    close();
    QString path = QStringLiteral(":memory:");
    if (!dataDir.isEmpty()) {
        if (!QDir().mkpath(dataDir)) {
            if (error)
                *error = QStringLiteral("cannot create %1").arg(dataDir);
            return false;
        }
        path = QDir(dataDir).filePath(QStringLiteral("sandbox.sqlite"));
    }
    std::promise<QString> opened;
    auto result = opened.get_future();
    d->stopping = false;
    d->thread = std::thread(
        [this, path, p = std::move(opened)]() mutable { d->run(path, std::move(p)); });
    const QString message = result.get();
    if (!message.isEmpty()) {
        d->thread.join();
        if (error)
            *error = message;
        return false;
    }
    d->persistent = !dataDir.isEmpty();
    d->running = true;
    return true;
}

bool SandboxStore::isPersistent() const
{
    return d->persistent;
}

QFuture<bool> SandboxStore::committed()
{
    auto promise = std::make_shared<QPromise<bool>>();
    QFuture<bool> future = promise->future();
    promise->start();
    auto finish = [promise](bool ok) {
        promise->addResult(ok);
        promise->finish();
    };
    if (!d->running)
        finish(false);
    else
        d->post([finish](Db &db) { db.onCommit.push_back(finish); });
    return future;
}

void SandboxStore::close()
{
    if (!d->thread.joinable())
        return;
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        d->wake.notify_all();
        d->drained.notify_all();
    }
    d->thread.join();
    d->running = false;
}

void SandboxStore::append(const QByteArray &service, const QByteArray &target,
                          const QByteArray &requestId, qint64 receivedMs,
                          std::vector<StoreRow> rows)
{
    if (rows.empty() || !d->running)
        return;
    qsizetype bytes = 0;
    for (const auto &r : rows)
        bytes += r.data.size() + 64;
    d->post(
        [service, target, requestId, receivedMs, rows = std::move(rows)](Db &db) {
            const qint64 tid = db.targetId(service, target, true);
            if (db.insertDirect(tid, requestId, receivedMs, rows.front())) {
                for (size_t i = 1; i < rows.size(); ++i)
                    db.insertDirect(tid, requestId, receivedMs, rows[i]);
                return;
            }
            QSqlQuery &q = *db.insertRecord;
            const QVariant vTarget(tid);
            const QVariant vRequest(QString::fromUtf8(requestId));
            const QVariant vTime(receivedMs);
            const QVariant vNullInt(QMetaType::fromType<qint64>());
            for (const auto &r : rows) {
                q.bindValue(0, vTarget);
                q.bindValue(1, vRequest);
                q.bindValue(2, vTime);
                q.bindValue(3, textOrNull(r.recordId));
                q.bindValue(4, textOrNull(r.key));
                q.bindValue(5, contentHash(r.data));
                q.bindValue(6, r.partition >= 0 ? QVariant(r.partition) : vNullInt);
                q.bindValue(7, r.sequence >= 0 ? QVariant(r.sequence) : vNullInt);
                q.bindValue(8, r.data);
                if (!q.exec())
                    db.writeError("insert", q.lastError().text());
            }
        },
        bytes);
}

void SandboxStore::upsertStitch(std::vector<StitchRow> rows)
{
    if (rows.empty() || !d->running)
        return;
    const qint64 now = nowMs();
    d->post([rows = std::move(rows), now](Db &db) {
        QSqlQuery &q = *db.upsertRow;
        for (const auto &r : rows) {
            q.bindValue(0, QString::fromUtf8(r.table));
            q.bindValue(1, QString::fromUtf8(r.key));
            q.bindValue(2, r.sequence);
            q.bindValue(3, QString::fromUtf8(r.data));
            q.bindValue(4, now);
            if (!q.exec())
                db.writeError("upsert", q.lastError().text());
        }
    });
}

void SandboxStore::saveStream(const StoredStream &stream)
{
    if (!d->running)
        return;
    d->post([stream](Db &db) {
        QSqlQuery q(db.db);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO streams(service, name, config)"
                                 " VALUES(?, ?, ?)"));
        q.addBindValue(QString::fromUtf8(stream.service));
        q.addBindValue(QString::fromUtf8(stream.name));
        q.addBindValue(QString::fromUtf8(stream.config));
        if (!q.exec())
            db.writeError("saving a stream", q.lastError().text());
    });
}

void SandboxStore::removeStream(const QByteArray &service, const QByteArray &name)
{
    if (!d->running)
        return;
    d->post([service, name](Db &db) {
        QSqlQuery q(db.db);
        q.prepare(QStringLiteral("DELETE FROM streams WHERE service=? AND name=?"));
        q.addBindValue(QString::fromUtf8(service));
        q.addBindValue(QString::fromUtf8(name));
        if (!q.exec())
            db.writeError("removing a stream", q.lastError().text());
    });
}

void SandboxStore::reset()
{
    d->call<bool>([](Db &db) {
        db.exec(QStringLiteral("DELETE FROM records"));
        db.exec(QStringLiteral("DELETE FROM targets"));
        db.exec(QStringLiteral("DELETE FROM stitch_rows"));
        db.exec(QStringLiteral("DELETE FROM streams"));
        db.targetIds.clear();
        return true;
    });
}

std::vector<StoredStream> SandboxStore::streams()
{
    return d->call<std::vector<StoredStream>>([](Db &db) {
        std::vector<StoredStream> out;
        QSqlQuery q(db.db);
        q.exec(QStringLiteral("SELECT service, name, config FROM streams ORDER BY service, name"));
        while (q.next())
            out.push_back({q.value(0).toString().toUtf8(), q.value(1).toString().toUtf8(),
                           q.value(2).toString().toUtf8()});
        return out;
    });
}

SandboxCounts SandboxStore::counts(const QByteArray &service, const QByteArray &target)
{
    return d->call<SandboxCounts>([service, target](Db &db) {
        SandboxCounts c;
        QSqlQuery q(db.db);
        QString where = QStringLiteral("t.service=?");
        if (!target.isEmpty())
            where += QStringLiteral(" AND t.target=?");
        q.prepare(QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT r.request_id),"
                                 " COUNT(DISTINCT r.record_id), COUNT(DISTINCT r.key),"
                                 " COUNT(DISTINCT r.hash) FROM records r"
                                 " JOIN targets t ON t.id=r.target_id WHERE ")
                  + where);
        q.addBindValue(QString::fromUtf8(service));
        if (!target.isEmpty())
            q.addBindValue(QString::fromUtf8(target));
        if (q.exec() && q.next()) {
            c.records = q.value(0).toLongLong();
            c.requests = q.value(1).toLongLong();
            c.distinctRecordIds = q.value(2).toLongLong();
            c.distinctKeys = q.value(3).toLongLong();
            c.distinctData = q.value(4).toLongLong();
        }
        if (service == "stitch") {
            QSqlQuery rows(db.db);
            if (target.isEmpty()) {
                rows.exec(QStringLiteral("SELECT COUNT(*) FROM stitch_rows"));
            } else {
                rows.prepare(QStringLiteral("SELECT COUNT(*) FROM stitch_rows WHERE table_name=?"));
                rows.addBindValue(QString::fromUtf8(target));
                rows.exec();
            }
            if (rows.next())
                c.rows = rows.value(0).toLongLong();
        }
        return c;
    });
}

QByteArray SandboxStore::targetsJson(const QByteArray &service)
{
    return d->call<QByteArray>([service](Db &db) {
        QSqlQuery q(db.db);
        QString sql
            = QStringLiteral("SELECT t.service, t.target, COUNT(r.id), COUNT(DISTINCT r.request_id)"
                             " FROM targets t LEFT JOIN records r ON r.target_id=t.id");
        if (!service.isEmpty())
            sql += QStringLiteral(" WHERE t.service=?");
        sql += QStringLiteral(" GROUP BY t.id ORDER BY t.service, t.target");
        q.prepare(sql);
        if (!service.isEmpty())
            q.addBindValue(QString::fromUtf8(service));
        q.exec();
        QByteArray out = "[";
        bool first = true;
        while (q.next()) {
            if (!first)
                out += ',';
            first = false;
            out += "{\"service\":";
            json::appendString(out, q.value(0).toString());
            out += ",\"target\":";
            json::appendString(out, q.value(1).toString());
            out += ",\"records\":";
            json::appendInt(out, q.value(2).toLongLong());
            out += ",\"requests\":";
            json::appendInt(out, q.value(3).toLongLong());
            out += '}';
        }
        out += ']';
        return out;
    });
}

QByteArray SandboxStore::recordsJson(const QByteArray &service, const QByteArray &target,
                                     qint64 offset, qint64 limit)
{
    return d->call<QByteArray>([=](Db &db) {
        const qint64 tid = db.targetId(service, target, false);
        qint64 total = 0;
        QByteArray items = "[";
        if (tid >= 0) {
            QSqlQuery c(db.db);
            c.prepare(QStringLiteral("SELECT COUNT(*) FROM records WHERE target_id=?"));
            c.addBindValue(tid);
            if (c.exec() && c.next())
                total = c.value(0).toLongLong();
            QSqlQuery q(db.db);
            q.prepare(
                QStringLiteral("SELECT id, request_id, received_ms, record_id, key, part, seq,"
                               " data FROM records WHERE target_id=? ORDER BY id"
                               " LIMIT ? OFFSET ?"));
            q.addBindValue(tid);
            q.addBindValue(limit);
            q.addBindValue(offset);
            q.exec();
            bool first = true;
            while (q.next()) {
                if (!first)
                    items += ',';
                first = false;
                items += "{\"id\":";
                json::appendInt(items, q.value(0).toLongLong());
                appendTextMember(items, "requestId", q.value(1));
                items += ",\"receivedAt\":";
                json::appendInt(items, q.value(2).toLongLong());
                appendTextMember(items, "recordId", q.value(3));
                appendTextMember(items, "key", q.value(4));
                if (!q.value(5).isNull()) {
                    items += ",\"partition\":";
                    json::appendInt(items, q.value(5).toLongLong());
                }
                if (!q.value(6).isNull()) {
                    items += ",\"sequence\":";
                    json::appendInt(items, q.value(6).toLongLong());
                }
                items += ',';
                appendData(items, q.value(7).toByteArray());
                items += '}';
            }
        }
        items += ']';
        QByteArray out = "{\"service\":";
        json::appendString(out, QByteArrayView(service));
        out += ",\"target\":";
        json::appendString(out, QByteArrayView(target));
        out += ",\"total\":";
        json::appendInt(out, total);
        out += ",\"offset\":";
        json::appendInt(out, offset);
        if (offset + limit < total) {
            out += ",\"nextOffset\":";
            json::appendInt(out, offset + limit);
        }
        out += ",\"records\":";
        out += items;
        out += '}';
        return out;
    });
}

QByteArray SandboxStore::stitchRowsJson(const QByteArray &table, qint64 offset, qint64 limit)
{
    return d->call<QByteArray>([=](Db &db) {
        qint64 total = 0;
        QSqlQuery c(db.db);
        c.prepare(QStringLiteral("SELECT COUNT(*) FROM stitch_rows WHERE table_name=?"));
        c.addBindValue(QString::fromUtf8(table));
        if (c.exec() && c.next())
            total = c.value(0).toLongLong();
        QSqlQuery q(db.db);
        q.prepare(QStringLiteral("SELECT key, sequence, data FROM stitch_rows WHERE table_name=?"
                                 " ORDER BY key LIMIT ? OFFSET ?"));
        q.addBindValue(QString::fromUtf8(table));
        q.addBindValue(limit);
        q.addBindValue(offset);
        q.exec();
        QByteArray out = "{\"table\":";
        json::appendString(out, QByteArrayView(table));
        out += ",\"total\":";
        json::appendInt(out, total);
        out += ",\"rows\":[";
        bool first = true;
        while (q.next()) {
            if (!first)
                out += ',';
            first = false;
            out += "{\"key\":";
            out += q.value(0).toString().toUtf8(); // stored as JSON
            out += ",\"sequence\":";
            json::appendInt(out, q.value(1).toLongLong());
            out += ",\"data\":";
            out += q.value(2).toString().toUtf8(); // stored as JSON
            out += '}';
        }
        out += "]}";
        return out;
    });
}

std::vector<DisStoredRecord> SandboxStore::disRead(const QByteArray &stream, qint64 partition,
                                                   qint64 fromSequence, qint64 maxBytes,
                                                   int maxCount)
{
    return d->call<std::vector<DisStoredRecord>>([=](Db &db) {
        std::vector<DisStoredRecord> out;
        const qint64 tid = db.targetId("dis", stream, false);
        if (tid < 0)
            return out;
        QSqlQuery q(db.db);
        q.prepare(QStringLiteral("SELECT seq, key, data, received_ms FROM records"
                                 " WHERE target_id=? AND part=? AND seq>=? ORDER BY seq LIMIT ?"));
        q.addBindValue(tid);
        q.addBindValue(partition);
        q.addBindValue(fromSequence);
        q.addBindValue(maxCount);
        q.exec();
        qint64 bytes = 0;
        while (q.next()) {
            DisStoredRecord r{q.value(0).toLongLong(), q.value(1).toString().toUtf8(),
                              q.value(2).toByteArray(), q.value(3).toLongLong()};
            if (q.value(1).isNull())
                r.partitionKey = QByteArray();
            bytes += r.data.size();
            if (bytes > maxBytes)
                break;
            out.push_back(std::move(r));
        }
        return out;
    });
}

qint64 SandboxStore::disSequenceAt(const QByteArray &stream, qint64 partition, qint64 timestampMs)
{
    return d->call<qint64>([=](Db &db) -> qint64 {
        const qint64 tid = db.targetId("dis", stream, false);
        if (tid < 0)
            return -1;
        QSqlQuery q(db.db);
        q.prepare(QStringLiteral("SELECT MIN(seq) FROM records WHERE target_id=? AND part=?"
                                 " AND received_ms>=?"));
        q.addBindValue(tid);
        q.addBindValue(partition);
        q.addBindValue(timestampMs);
        if (q.exec() && q.next() && !q.value(0).isNull())
            return q.value(0).toLongLong();
        return -1;
    });
}

std::vector<std::tuple<QByteArray, qint64, qint64>> SandboxStore::disMaxSequences()
{
    using Result = std::vector<std::tuple<QByteArray, qint64, qint64>>;
    return d->call<Result>([](Db &db) {
        Result out;
        QSqlQuery q(db.db);
        q.exec(
            QStringLiteral("SELECT t.target, r.part, MAX(r.seq) FROM records r JOIN targets t"
                           " ON t.id=r.target_id WHERE t.service='dis' GROUP BY t.target, r.part"));
        while (q.next())
            out.emplace_back(q.value(0).toString().toUtf8(), q.value(1).toLongLong(),
                             q.value(2).toLongLong());
        return out;
    });
}

} // namespace syncdesk::sandbox
