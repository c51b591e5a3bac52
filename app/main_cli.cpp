// syncdesk-cli: the headless runner. Everything lives in app/cli/; this only sets up Qt.

#include "cli/commands.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("syncdesk-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("syncdesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNCDESK_VERSION));
    return syncdesk::cli::runCli(QCoreApplication::arguments().mid(1));
}
