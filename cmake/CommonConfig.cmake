# One INTERFACE target carries the language standard, warnings and Qt defines for every target.
add_library(syncdesk_flags INTERFACE)
target_compile_features(syncdesk_flags INTERFACE cxx_std_20)
target_compile_definitions(syncdesk_flags INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_USE_QSTRINGBUILDER
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  SYNCDESK_VERSION="${PROJECT_VERSION}")
target_compile_options(syncdesk_flags INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(SYNCDESK_WERROR)
  target_compile_options(syncdesk_flags INTERFACE -Werror)
endif()
