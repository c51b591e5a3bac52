#pragma once

// An S3 object as a ByteSource: read with ranged GETs by a fetch thread of its own, a few chunks
// ahead of the reader (memory: at most kReadAhead chunks of up to 8 MiB, plus the one in
// flight). A seek drops what was fetched and starts a new ranged GET at the offset, with a small
// first chunk so a preview page or a resume starts at once. Every answer is checked against the
// ETag and size seen when the object was opened (and asks for them with If-Match), so an object
// replaced mid-run fails the read with a message naming it instead of mixing two versions. 5xx,
// throttling and dropped or timed-out connections are retried with backoff, continuing at the
// byte where the answer broke off.

#include "dataset/bytesource.h"
#include "objectstore/s3client.h"

namespace syncdesk::s3 {

struct FetchTuning
{
    qint64 firstChunk = 256 * 1024; // after opening and after each seek
    qint64 maxChunk = 8 * 1024 * 1024; // chunks double up to this
    int readAhead = 3; // chunks fetched before the reader asks
    int maxAttempts = 8; // per chunk without progress; backoff 100 ms doubling to 5 s
};

// Opens the object; nullptr and `error` (naming s3://bucket/key) when it cannot be read.
// `info` receives its size, ETag and Last-Modified.
std::unique_ptr<ByteSource> openObjectSource(const ObjectUrl &url, const Access &access,
                                             QString *error, ObjectInfo *info = nullptr,
                                             const FetchTuning &tuning = {});

} // namespace syncdesk::s3
