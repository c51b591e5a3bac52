#pragma once

// The catalog schema as a list of migrations: migration N (1-based) takes a database at version
// N-1 to version N. Never edit a released migration; append a new one.

#include <QList>
#include <QStringList>

namespace syncdesk::catalog {

// One entry per schema version, each a list of statements run in one transaction.
const QList<QStringList> &migrations();

// A migration statement in PostgreSQL's dialect: identity id columns, BYTEA for BLOB and 64-bit
// integers everywhere (SQLite's INTEGER already is).
QString forServer(const QString &sql);

} // namespace syncdesk::catalog
