#pragma once

#include <QByteArray>
#include <QString>

namespace syncdesk::test {

// Absolute path of a file under tests/data.
inline QString dataPath(const QString &relative)
{
    return QStringLiteral(SYNCDESK_TEST_DATA "/") + relative;
}

// Absolute path of a built executable, e.g. binPath(u"app/syncdesk-cli").
inline QString binPath(const QString &relative)
{
    return QStringLiteral(SYNCDESK_BIN_DIR "/") + relative;
}

// `data` as a gzip file made of stored (uncompressed) deflate blocks: gzip input for tests without
// zlib.
QByteArray gzipStored(const QByteArray &data);

} // namespace syncdesk::test
