#ifndef QGATE_CLIBXML2_SHIM_H
#define QGATE_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its <unicode/ucnv.h> clashes with the ICU copy that
   Foundation ships. qgate never touches the encoding handler structs that need it. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#endif
