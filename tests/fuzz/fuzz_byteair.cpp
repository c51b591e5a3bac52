// libFuzzer: the byteair destination's response parsing (see fuzz_destination_common.h).

#include "fuzz_destination_common.h"

SYNCDESK_DESTINATION_FUZZER("byteair")
