#pragma once

// Copies one catalog into another: a personal catalog file into the team's PostgreSQL catalog
// ("moving in"), or the team's into a file for an offline copy. Nothing in the destination is
// overwritten: a connection, stream or job whose name is already taken there is kept as it is and
// used in place of the copied one; runs are added with new ids (their batches, delivered ranges,
// service ids, failed records, events and stage loads with them). Every copied row remembers
// where it came from ("<source catalog id>/<table>/<id>"), so copying again adds nothing. No
// secrets are copied: the catalog holds none.

#include <QString>

namespace syncdesk {

struct CatalogCopyReport
{
    int connectionsAdded = 0, connectionsKept = 0;
    int streamsAdded = 0, streamsKept = 0;
    int jobsAdded = 0, jobsKept = 0;
    int runsAdded = 0, runsKept = 0; // kept: copied before
    QString summary() const;
};

// One transaction on the destination: all of it or nothing. False and `error` set on failure.
bool copyCatalog(const QString &from, const QString &to, CatalogCopyReport *report, QString *error);

// The catalog's own id (a UUID made when first asked for, kept in catalog_meta).
QString catalogId(const QString &connectionName, QString *error = nullptr);

} // namespace syncdesk
