#pragma once

// What keeps one run's ledger true across processes: the fingerprint of its source (a resume
// over a changed file is refused) and the name of the process that drives it (its lease).

#include "dataset/reader.h"

#include <QString>

namespace syncdesk {

// A file source as it was: size, modification time, and SHA-256 of three 64 KiB samples (the
// head, the middle and the tail). An s3:// object: its size, ETag and Last-Modified; a prefix:
// those of every object under it (a replaced object changes its ETag). Empty for sources that
// cannot be fingerprinted (SQL, pipes, an object that cannot be reached). `sourceSecret`: see
// openDataset().
QString sourceFingerprint(const DatasetSpec &dataset, const QString &sourceSecret = {});
// Empty when `now` (a fingerprint taken now) is the same source as `then`; otherwise what
// differs, in words. `growing`: a followed file may have grown (only its head must match).
QString fingerprintDifference(const QString &then, const QString &now, bool growing);

// "user@host pid N": who drives a run.
QString leaseHolderName();
// True when `holder` names a process on this host that no longer exists (killed, crashed):
// its lease can be taken over at once instead of after it expires.
bool leaseHolderIsGone(const QString &holder);

} // namespace syncdesk
