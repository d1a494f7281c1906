"""Report libxml2's first fatal error (line, column) for an XML file, via ctypes.
xmlError.int2 holds the column (1-based) for parser errors."""
import ctypes, ctypes.util, sys

class XmlError(ctypes.Structure):
    _fields_ = [("domain", ctypes.c_int), ("code", ctypes.c_int), ("message", ctypes.c_char_p),
                ("level", ctypes.c_int), ("file", ctypes.c_char_p), ("line", ctypes.c_int),
                ("str1", ctypes.c_char_p), ("str2", ctypes.c_char_p), ("str3", ctypes.c_char_p),
                ("int1", ctypes.c_int), ("int2", ctypes.c_int), ("ctxt", ctypes.c_void_p), ("node", ctypes.c_void_p)]

lib = ctypes.CDLL(ctypes.util.find_library("xml2") or "libxml2.so.2")
lib.xmlReadFile.restype = ctypes.c_void_p
lib.xmlReadFile.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
lib.xmlGetLastError.restype = ctypes.POINTER(XmlError)
XML_PARSE_NOERROR, XML_PARSE_NOWARNING, XML_PARSE_NONET = 1 << 5, 1 << 6, 1 << 11
for path in sys.argv[1:]:
    lib.xmlResetLastError()
    doc = lib.xmlReadFile(path.encode(), None, XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET)
    err = lib.xmlGetLastError()
    if doc and not err:
        print(f"{path}: ok")
    else:
        e = err.contents
        print(f"{path}: level={e.level} line={e.line} column={e.int2} msg={e.message.decode().strip()}")
