#include "catalog/migrations.h"

// Types are spelled so that the same statements run on PostgreSQL except for the id columns
// (INTEGER PRIMARY KEY is SQLite's rowid; PostgreSQL needs an identity column there).
// Times are milliseconds since the epoch (UTC), dates ISO 8601 text, JSON documents text.

namespace syncdesk::catalog {

namespace {

QStringList version1()
{
    return {
        QStringLiteral("CREATE TABLE connections ("
                       " id INTEGER PRIMARY KEY,"
                       " kind TEXT NOT NULL,"
                       " name TEXT NOT NULL UNIQUE,"
                       " endpoint TEXT NOT NULL DEFAULT '',"
                       " region TEXT NOT NULL DEFAULT '',"
                       " settings TEXT NOT NULL DEFAULT '{}',"
                       " created_at BIGINT NOT NULL,"
                       " updated_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE streams ("
                       " id INTEGER PRIMARY KEY,"
                       " connection_id INTEGER NOT NULL"
                       "  REFERENCES connections(id) ON DELETE CASCADE,"
                       " name TEXT NOT NULL,"
                       " target TEXT NOT NULL DEFAULT '',"
                       " key_names TEXT NOT NULL DEFAULT '[]',"
                       " batch_records INTEGER NOT NULL DEFAULT 0,"
                       " batch_bytes BIGINT NOT NULL DEFAULT 0,"
                       " linger_ms INTEGER NOT NULL DEFAULT -1,"
                       " rate_requests DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " rate_records DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " rate_bytes DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " settings TEXT NOT NULL DEFAULT '{}',"
                       " created_at BIGINT NOT NULL,"
                       " updated_at BIGINT NOT NULL,"
                       " UNIQUE (connection_id, name))"),
        QStringLiteral("CREATE TABLE jobs ("
                       " id INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL UNIQUE,"
                       " stream_id INTEGER REFERENCES streams(id) ON DELETE CASCADE,"
                       " spec TEXT NOT NULL DEFAULT '{}',"
                       " created_at BIGINT NOT NULL,"
                       " updated_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE INDEX jobs_stream ON jobs(stream_id)"),
        QStringLiteral("CREATE TABLE runs ("
                       " id INTEGER PRIMARY KEY,"
                       " job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
                       " stream_id INTEGER REFERENCES streams(id) ON DELETE SET NULL,"
                       " parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,"
                       " kind TEXT NOT NULL,"
                       " target TEXT NOT NULL DEFAULT '',"
                       " stage TEXT NOT NULL,"
                       " data_date TEXT,"
                       " state TEXT NOT NULL,"
                       " spec TEXT NOT NULL DEFAULT '{}',"
                       " seed BLOB,"
                       " created_at BIGINT NOT NULL,"
                       " started_at BIGINT,"
                       " finished_at BIGINT,"
                       " rows_read BIGINT NOT NULL DEFAULT 0,"
                       " rows_valid BIGINT NOT NULL DEFAULT 0,"
                       " records_sent BIGINT NOT NULL DEFAULT 0,"
                       " rows_delivered BIGINT NOT NULL DEFAULT 0,"
                       " rows_failed BIGINT NOT NULL DEFAULT 0,"
                       " rows_skipped BIGINT NOT NULL DEFAULT 0,"
                       " duplicates BIGINT NOT NULL DEFAULT 0,"
                       " bytes_sent BIGINT NOT NULL DEFAULT 0,"
                       " requests BIGINT NOT NULL DEFAULT 0,"
                       " message TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE INDEX runs_created ON runs(created_at)"),
        QStringLiteral("CREATE INDEX runs_stream ON runs(stream_id, created_at)"),
        QStringLiteral("CREATE INDEX runs_job ON runs(job_id)"),
        QStringLiteral("CREATE INDEX runs_parent ON runs(parent_run_id)"),
        QStringLiteral("CREATE TABLE batches ("
                       " id INTEGER PRIMARY KEY,"
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " request_id TEXT NOT NULL DEFAULT '',"
                       " attempt INTEGER NOT NULL DEFAULT 1,"
                       " http_status INTEGER NOT NULL DEFAULT 0,"
                       " latency_ms DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " first_row BIGINT NOT NULL,"
                       " last_row BIGINT NOT NULL,"
                       " records INTEGER NOT NULL DEFAULT 0,"
                       " bytes BIGINT NOT NULL DEFAULT 0,"
                       " outcome TEXT NOT NULL DEFAULT '',"
                       " error_code TEXT NOT NULL DEFAULT '',"
                       " sent_at BIGINT)"),
        QStringLiteral("CREATE INDEX batches_run ON batches(run_id)"),
        // Disjoint, non-adjacent [first_row, last_row] ranges: the writer coalesces them.
        QStringLiteral("CREATE TABLE delivered_ranges ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " first_row BIGINT NOT NULL,"
                       " last_row BIGINT NOT NULL,"
                       " PRIMARY KEY (run_id, first_row))"),
        QStringLiteral("CREATE TABLE failed_records ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " row_no BIGINT NOT NULL,"
                       " source_offset BIGINT NOT NULL DEFAULT -1,"
                       " payload BLOB,"
                       " error_code TEXT NOT NULL DEFAULT '',"
                       " message TEXT NOT NULL DEFAULT '',"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " attempt_log TEXT NOT NULL DEFAULT '[]',"
                       " first_seen BIGINT,"
                       " last_seen BIGINT,"
                       " PRIMARY KEY (run_id, row_no))"),
        QStringLiteral("CREATE TABLE run_events ("
                       " id INTEGER PRIMARY KEY,"
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " at BIGINT NOT NULL,"
                       " level TEXT NOT NULL,"
                       " message TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX run_events_run ON run_events(run_id, id)"),
    };
}

// Service ids per checkpoint chunk instead of one row per record, and the stage loads that
// enforce daily-before-streaming.
QStringList version2()
{
    return {
        // `data`: for each entry, varint(row delta from the previous entry, the first from
        // first_row), varint(id length), id bytes. Entries sorted by row.
        QStringLiteral("CREATE TABLE delivery_ids ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " first_row BIGINT NOT NULL,"
                       " last_row BIGINT NOT NULL,"
                       " entries INTEGER NOT NULL,"
                       " data BLOB NOT NULL)"),
        QStringLiteral("CREATE INDEX delivery_ids_run ON delivery_ids(run_id, first_row)"),
        QStringLiteral("CREATE TABLE stage_loads ("
                       " id INTEGER PRIMARY KEY,"
                       " stream_id INTEGER REFERENCES streams(id) ON DELETE CASCADE,"
                       " target TEXT NOT NULL,"
                       " stage TEXT NOT NULL,"
                       " data_date TEXT,"
                       " run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,"
                       " loaded_at BIGINT NOT NULL,"
                       " rows_loaded BIGINT NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX stage_loads_stream ON stage_loads(stream_id, target)"),
    };
}

// Failed records resolved by a retry run are kept (status 'delivered') for the history.
QStringList version3()
{
    return {
        QStringLiteral(
            "ALTER TABLE failed_records ADD COLUMN status TEXT NOT NULL DEFAULT 'failed'"),
        QStringLiteral("CREATE INDEX failed_records_code ON failed_records(run_id, error_code)"),
    };
}

// What keeps the ledger true under faults: the source's fingerprint (a resume over a changed
// file is refused), the rows that may have reached the service without a durable record
// (sent_through: no row above it was ever sent), the run's lease (one driver at a time, fenced by
// its epoch), and failed rows whose last attempt may have been stored (ambiguous).
QStringList version4()
{
    return {
        QStringLiteral("ALTER TABLE runs ADD COLUMN source_fingerprint TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN sent_through BIGINT NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN lease_holder TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN lease_expires BIGINT NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0"),
        QStringLiteral(
            "ALTER TABLE failed_records ADD COLUMN ambiguous INTEGER NOT NULL DEFAULT 0"),
    };
}

// Team mode: who started a run and with which build; where a copied row came from (catalog
// copy: "<catalog id>/<id>", so a second copy adds nothing); the catalog's own id.
QStringList version5()
{
    return {
        QStringLiteral("ALTER TABLE runs ADD COLUMN started_by TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN client_version TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE connections ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE streams ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN origin TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE INDEX runs_origin ON runs(origin)"),
        QStringLiteral("CREATE TABLE catalog_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    };
}

// Distributed runs: a run split into work units that worker processes claim with a lease (epoch
// fenced, like a run's), each with its own counters and sent-through mark; the run's counters
// are their sums. runs.units > 0 marks a distributed run.
QStringList version6()
{
    return {
        QStringLiteral("ALTER TABLE runs ADD COLUMN units INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("CREATE TABLE run_units ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " unit_no INTEGER NOT NULL,"
                       " first_row BIGINT NOT NULL,"
                       " last_row BIGINT NOT NULL,"
                       " start_offset BIGINT NOT NULL DEFAULT -1,"
                       " start_line BIGINT NOT NULL DEFAULT 0,"
                       " start_key TEXT NOT NULL DEFAULT '',"
                       " bytes BIGINT NOT NULL DEFAULT 0,"
                       " state TEXT NOT NULL DEFAULT 'queued',"
                       " lease_holder TEXT NOT NULL DEFAULT '',"
                       " lease_expires BIGINT NOT NULL DEFAULT 0,"
                       " lease_epoch BIGINT NOT NULL DEFAULT 0,"
                       " rows_read BIGINT NOT NULL DEFAULT 0,"
                       " rows_valid BIGINT NOT NULL DEFAULT 0,"
                       " records_sent BIGINT NOT NULL DEFAULT 0,"
                       " rows_delivered BIGINT NOT NULL DEFAULT 0,"
                       " rows_failed BIGINT NOT NULL DEFAULT 0,"
                       " rows_skipped BIGINT NOT NULL DEFAULT 0,"
                       " duplicates BIGINT NOT NULL DEFAULT 0,"
                       " bytes_sent BIGINT NOT NULL DEFAULT 0,"
                       " requests BIGINT NOT NULL DEFAULT 0,"
                       " sent_through BIGINT NOT NULL DEFAULT 0,"
                       " rows_per_second DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " throttle_rate DOUBLE PRECISION NOT NULL DEFAULT 0,"
                       " heartbeat BIGINT NOT NULL DEFAULT 0,"
                       " claims INTEGER NOT NULL DEFAULT 0,"
                       " message TEXT NOT NULL DEFAULT '',"
                       " PRIMARY KEY (run_id, unit_no))"),
    };
}

// Service ids are front-coded (deliveryids.h): a client before this version would misread them,
// so the version refuses it. The statement records the coding for whoever inspects the catalog.
QStringList version7()
{
    return {QStringLiteral(
        "INSERT INTO catalog_meta (name, value) VALUES ('delivery_ids_coding', 'front')")};
}

} // namespace

QString forServer(const QString &sql)
{
    QString out = sql;
    out.replace(QStringLiteral("INTEGER PRIMARY KEY"),
                QStringLiteral("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
    out.replace(QStringLiteral(" INTEGER"), QStringLiteral(" BIGINT"));
    out.replace(QStringLiteral(" BLOB"), QStringLiteral(" BYTEA"));
    return out;
}

const QList<QStringList> &migrations()
{
    static const QList<QStringList> all{version1(), version2(), version3(), version4(),
                                        version5(), version6(), version7()};
    return all;
}

} // namespace syncdesk::catalog
