// A library planted in the directory an operator runs SyncDesk from, under the name of one the
// programs need (libz.so.1). If the loader ever takes it, the start fails: most likely with a
// symbol lookup error, since it defines none of zlib's functions, else here.
#include <cstdio>
#include <unistd.h>

__attribute__((constructor)) static void planted()
{
    std::fputs("planted library loaded from the working directory\n", stderr);
    _exit(97);
}
