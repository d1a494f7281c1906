import CLibXML2
import Foundation

/// The name of an element as libxml2 hands it over: a borrowed C string, valid only during
/// the callback. Compared against literals without allocating a `String` per element.
public struct XMLName {
    fileprivate let pointer: UnsafePointer<xmlChar>

    @inline(__always)
    public func `is`(_ literal: StaticString) -> Bool {
        // Called for every attribute of every element: compare bytes in place, first byte first.
        guard literal.hasPointerRepresentation else {
            return literal.withUTF8Buffer { buffer in
                var index = 0
                while index < buffer.count {
                    if pointer[index] != buffer[index] { return false }
                    index += 1
                }
                return pointer[index] == 0
            }
        }
        let bytes = literal.utf8Start
        let count = literal.utf8CodeUnitCount
        var index = 0
        while index < count {
            if pointer[index] != bytes[index] { return false }
            index += 1
        }
        return pointer[index] == 0
    }

    public var string: String { String(cString: pointer) }
}

/// The attributes of one start tag, read lazily: a Cobertura `<line>` has four attributes and
/// there are millions of lines, so nothing is converted unless asked for.
public struct XMLAttributes {
    fileprivate let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    fileprivate let count: Int

    private func valueBuffer(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for index in 0..<count {
            let slot = base + index * 5
            guard let localName = slot[0] else { continue }
            if XMLName(pointer: localName).is(name), let start = slot[3], let end = slot[4] {
                return UnsafeBufferPointer(start: start, count: end - start)
            }
        }
        return nil
    }

    /// Calls `body` with the name and value bytes of each attribute, in document order: one
    /// pass for an element whose every attribute is read (a Cobertura `<line>`).
    @inline(__always)
    public func forEach(_ body: (XMLName, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard let base else { return }
        for index in 0..<count {
            let slot = base + index * 5
            guard let localName = slot[0], let start = slot[3], let end = slot[4] else { continue }
            try body(XMLName(pointer: localName), UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    public subscript(_ name: StaticString) -> String? {
        valueBuffer(name).map { String(decoding: $0, as: UTF8.self) }
    }

    public func contains(_ name: StaticString) -> Bool { valueBuffer(name) != nil }

    /// An unsigned decimal integer (surrounding spaces allowed); nil when absent or not a number.
    public func integer(_ name: StaticString) -> Int64? {
        valueBuffer(name).flatMap(XMLAttributes.integer(in:))
    }

    /// ``integer(_:)`` of a value already found.
    public static func integer(in buffer: UnsafeBufferPointer<UInt8>) -> Int64? {
        var value: Int64 = 0
        var sawDigit = false
        for byte in buffer {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = multiplied.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { return Int64.max }
                value = added
                sawDigit = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if sawDigit { return value }
            case UInt8(ascii: "."):
                // "12.0": the integral part is the value.
                return sawDigit ? value : nil
            default:
                return nil
            }
        }
        return sawDigit ? value : nil
    }

    /// Whether the attribute is `true` (case-insensitive); false when absent.
    public func flag(_ name: StaticString) -> Bool {
        valueBuffer(name).map(XMLAttributes.flag(in:)) ?? false
    }

    /// ``flag(_:)`` of a value already found.
    public static func flag(in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard buffer.count == 4 else { return false }
        return zip(buffer, "true".utf8).allSatisfy { byte, letter in byte | 0x20 == letter }
    }

    public var all: [(name: String, value: String)] {
        guard let base else { return [] }
        return (0..<count).compactMap { index in
            let slot = base + index * 5
            guard let localName = slot[0], let start = slot[3], let end = slot[4] else { return nil }
            return (String(cString: localName), String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self))
        }
    }
}

/// What a format parser implements to receive one XML document as a stream of events.
/// Throwing from a callback stops the parse; the error is rethrown by ``XMLStreamReader/parse(file:displayPath:handler:)``.
public protocol XMLStreamHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: XMLAttributes, reader: XMLStreamReader) throws
    func endElement(_ name: XMLName, reader: XMLStreamReader) throws
    /// Text and CDATA. Called only while ``XMLStreamReader/wantsText`` is true.
    func characters(_ text: UnsafeBufferPointer<UInt8>, reader: XMLStreamReader)
}

/// The only place that touches libxml2: a SAX2 push parser fed in fixed-size chunks, so
/// memory stays flat however large the report is.
///
/// Safety is set once here. Network access is off (`XML_PARSE_NONET`); entities are never
/// substituted (no `NOENT`), DTDs never loaded (no `DTDLOAD`/`DTDATTR`/`DTDVALID`), XInclude
/// never processed; and any `<!ENTITY` declaration stops the parse, which is what makes
/// `XML_PARSE_HUGE` (needed for >10 MB captured test logs) safe against entity bombs. Depth
/// and size are bounded. Errors carry libxml2's line and column.
public final class XMLStreamReader {
    /// Limits that keep a hostile file from exhausting the machine.
    public struct Limits: Sendable {
        public var maxDepth = 256
        public var maxBytes: Int64 = 4 << 30
        /// Attributes on one element (real reports use fewer than 20); see ``XMLAttributeGuard``.
        public var maxAttributes = 1_000
        public init() {}
    }

    public let displayPath: String
    public let limits: Limits
    // The properties touched on every SAX event are `@exclusivity(unchecked)`: the reader is
    // used by one thread, and the runtime's dynamic access check on each read and write was
    // about 5 % of a Cobertura parse.

    /// Current element nesting depth (the root element is 1).
    @exclusivity(unchecked) public private(set) var depth = 0
    /// Set by the handler to receive ``XMLStreamHandler/characters(_:reader:)``.
    @exclusivity(unchecked) public var wantsText = false

    fileprivate var context: xmlParserCtxtPtr?
    /// Set only while ``parse(handler:produce:)`` runs, which keeps the handler alive for that
    /// long, and cleared on exit. Not `weak` and not strong: a weak reference gives the handler a
    /// side table that sends its every retain and release down the runtime's slow path, and a
    /// strong one costs a retain/release pair per SAX event (millions in a large report).
    fileprivate unowned(unsafe) var handler: XMLStreamHandler?
    @exclusivity(unchecked) fileprivate var failure: Error?
    fileprivate var firstError: (line: Int, column: Int, message: String)?

    public init(displayPath: String, limits: Limits = Limits()) {
        self.displayPath = displayPath
        self.limits = limits
    }

    /// The parser's current position, for errors a handler raises about content.
    public var line: Int { context.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }
    public var column: Int { context.map { Int(xmlSAX2GetColumnNumber(UnsafeMutableRawPointer($0))) } ?? 0 }

    /// Parses the file at `url` completely, delivering events to `handler`.
    public func parse(file url: URL, handler: XMLStreamHandler, chunkSize: Int = 256 * 1024) throws {
        guard let stream = fopen(url.path, "rb") else {
            throw IngestError.unreadable(file: displayPath, reason: IngestError.reason(errno: errno))
        }
        defer { fclose(stream) }
        var buffer = [CChar](repeating: 0, count: chunkSize)
        try parse(handler: handler) { feed in
            var total: Int64 = 0
            while true {
                let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, stream) }
                if count == 0 {
                    if ferror(stream) != 0 {
                        throw IngestError.unreadable(file: displayPath, reason: "read error")
                    }
                    return
                }
                total += Int64(count)
                if total > limits.maxBytes {
                    throw IngestError.limitExceeded(
                        file: displayPath, line: line, column: column,
                        limit: "larger than \(limits.maxBytes) bytes")
                }
                let fed = try buffer.withUnsafeBufferPointer { bytes -> Bool in
                    // A buffer of chunkSize > 0 elements always has a base address.
                    guard let base = bytes.baseAddress else { return false }
                    return try feed(base, count)
                }
                guard fed else { return }
            }
        }
    }

    /// Parses an in-memory document (tests, small inputs).
    public func parse(data: Data, handler: XMLStreamHandler) throws {
        try parse(handler: handler) { feed in
            try data.withUnsafeBytes { raw in
                guard let base = raw.bindMemory(to: CChar.self).baseAddress, raw.count > 0 else { return }
                var offset = 0
                while offset < raw.count {
                    let count = min(256 * 1024, raw.count - offset)
                    guard try feed(base + offset, count) else { return }
                    offset += count
                }
            }
        }
    }

    private func parse(
        handler: XMLStreamHandler,
        produce: ((UnsafePointer<CChar>, Int) throws -> Bool) throws -> Void
    ) throws {
        XMLStreamReader.initializeOnce
        self.handler = handler
        defer {
            self.handler = nil
            withExtendedLifetime(handler) {}
        }
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        // The per-event callbacks borrow the reader (`_withUnsafeGuaranteedRef`: no retain/release
        // pair per event); `self` outlives the parse.
        // Attributes defaulted by an `<!ATTLIST>` of the document's own internal subset come last
        // (`defaulted` of them) and are left out: a report's values are what it writes on the element.
        sax.startElementNs = { ctx, localName, _, _, _, _, attributeCount, defaulted, attributes in
            guard let ctx, let localName else { return }
            Unmanaged<XMLStreamReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.start(
                    XMLName(pointer: localName),
                    XMLAttributes(base: attributes, count: Int(max(0, attributeCount - defaulted))))
            }
        }
        sax.endElementNs = { ctx, localName, _, _ in
            guard let ctx, let localName else { return }
            Unmanaged<XMLStreamReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.end(XMLName(pointer: localName)) }
        }
        sax.characters = { ctx, text, length in
            guard let ctx, let text else { return }
            Unmanaged<XMLStreamReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.text(text, Int(length)) }
        }
        sax.cdataBlock = sax.characters
        sax.entityDecl = { ctx, _, _, _, _, _ in
            guard let ctx else { return }
            Unmanaged<XMLStreamReader>.fromOpaque(ctx).takeUnretainedValue().refuseEntity()
        }
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            Unmanaged<XMLStreamReader>.fromOpaque(ctx).takeUnretainedValue().record(error.pointee)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&sax, me, nil, 0, displayPath) else {
            throw IngestError.unreadable(file: displayPath, reason: "libxml2 could not create a parser")
        }
        self.context = context
        defer {
            xmlFreeParserCtxt(context)
            self.context = nil
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue | XML_PARSE_COMPACT.rawValue)
        xmlCtxtUseOptions(context, options)

        var attributeGuard = XMLAttributeGuard(limit: limits.maxAttributes)
        try produce { pointer, count in
            guard attributeGuard.scan(UnsafeRawBufferPointer(start: pointer, count: count)) else {
                throw IngestError.limitExceeded(
                    file: displayPath, line: line, column: column,
                    limit: "more than \(limits.maxAttributes) attributes on one element")
            }
            try push(pointer, count, into: context)
            return self.firstError == nil
        }
        if failure == nil && firstError == nil {
            xmlParseChunk(context, nil, 0, 1)
        }
        if let failure { throw failure }
        if let firstError {
            throw IngestError.malformed(
                file: displayPath, line: firstError.line, column: firstError.column,
                reason: firstError.message)
        }
        if context.pointee.wellFormed == 0 {
            throw IngestError.malformed(file: displayPath, line: line, column: column, reason: "the document is not well-formed")
        }
        if rootSeen == false {
            throw IngestError.malformed(file: displayPath, line: line, column: column, reason: "no root element")
        }
    }

    @exclusivity(unchecked) private var rootSeen = false

    /// Feeds bytes to libxml2. Inside a CDATA section whose end is not yet in its buffer,
    /// libxml2 2.9 hands out 300 bytes per call and searches everything it holds for `]]>`
    /// each time (and runs on every push once it holds 10 MB), which is quadratic in the
    /// section's size. So a chunk is cut right after a CDATA opener that does not close in it,
    /// and the section is then fed in small pieces, each consumed before the next: linear.
    private func push(_ pointer: UnsafePointer<CChar>, _ count: Int, into context: xmlParserCtxtPtr) throws {
        var offset = 0
        while offset < count {
            if context.pointee.instate == XML_PARSER_CDATA_SECTION {
                let piece = min(Self.cdataPiece, count - offset)
                xmlParseChunk(context, pointer + offset, Int32(piece), 0)
                offset += piece
                while context.pointee.instate == XML_PARSER_CDATA_SECTION, buffered(context) > Self.cdataPiece + 2,
                    failure == nil, firstError == nil
                {
                    xmlParseChunk(context, nil, 0, 0)
                }
            } else {
                let end = Self.openCDATAEnd(pointer + offset, count - offset).map { offset + $0 } ?? count
                xmlParseChunk(context, pointer + offset, Int32(end - offset), 0)
                offset = end
            }
            if let failure { throw failure }
            if firstError != nil { return }
        }
    }

    /// What libxml2 buffers past its read position.
    private func buffered(_ context: xmlParserCtxtPtr) -> Int {
        guard let input = context.pointee.input, let cur = input.pointee.cur, let end = input.pointee.end else { return 0 }
        return cur.distance(to: end)
    }

    /// libxml2's CDATA hand-out size (`XML_PARSER_BIG_BUFFER_SIZE`).
    private static let cdataPiece = 300

    /// The offset just past the first `<![CDATA[` in the bytes whose `]]>` is not in them too.
    private static func openCDATAEnd(_ pointer: UnsafePointer<CChar>, _ count: Int) -> Int? {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: count)
        var from = 0
        while let found = find(cdataOpener, in: bytes, from: from) {
            let contentStart = found + cdataOpener.count
            guard let close = find(cdataCloser, in: bytes, from: contentStart) else { return contentStart }
            from = close + cdataCloser.count
        }
        return nil
    }

    private static let cdataOpener = Array("<![CDATA[".utf8), cdataCloser = Array("]]>".utf8)

    /// The first offset at or after `from` where `needle` starts (`memchr` for its first byte).
    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = bytes.baseAddress, let first = needle.first else { return nil }
        var index = from
        while index + needle.count <= bytes.count,
            let hit = memchr(base + index, Int32(first), bytes.count - index - needle.count + 1)
        {
            index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
            index += 1
        }
        return nil
    }

    private func start(_ name: XMLName, _ attributes: XMLAttributes) {
        guard failure == nil else { return }
        depth += 1
        rootSeen = true
        if depth > limits.maxDepth {
            fail(
                IngestError.limitExceeded(
                    file: displayPath, line: line, column: column,
                    limit: "elements nested deeper than \(limits.maxDepth)"))
            return
        }
        do { try handler?.startElement(name, attributes: attributes, reader: self) } catch { fail(error) }
    }

    private func end(_ name: XMLName) {
        guard failure == nil else { return }
        do { try handler?.endElement(name, reader: self) } catch { fail(error) }
        depth -= 1
    }

    private func text(_ pointer: UnsafePointer<xmlChar>, _ length: Int) {
        guard wantsText, failure == nil else { return }
        handler?.characters(UnsafeBufferPointer(start: pointer, count: length), reader: self)
    }

    private func refuseEntity() {
        fail(
            IngestError.unsafe(
                file: displayPath, line: line, column: column,
                reason:
                    "it declares an XML entity (<!ENTITY …>), which no real report does and which can be used to read local files or exhaust memory"
            ))
    }

    private func record(_ error: xmlError) {
        guard error.level == XML_ERR_FATAL || error.level == XML_ERR_ERROR else { return }
        // A DTD that names an external file is fine as long as nothing is loaded; only keep
        // errors that make the document unusable.
        if firstError == nil {
            let message =
                error.message.map { String(cString: $0) }?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "parse error"
            // The push parser reports a file cut inside an element as "Extra content at the end
            // of the document" (XML_ERR_DOCUMENT_END); with elements still open it ended early.
            let reason =
                error.code == 5 && depth > 0
                ? "the file ends before its elements are closed"
                : XMLStreamReader.humanize(message, code: Int(error.code))
            firstError = (Int(error.line), Int(error.int2), reason)
        }
        if let context { xmlStopParser(context) }
    }

    private func fail(_ error: Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    /// libxml2 says "Extra content at the end of the document" for a file cut at an element
    /// boundary; say what a person can act on.
    private static func humanize(_ message: String, code: Int) -> String {
        switch code {
        case 5 where message.hasPrefix("Extra content"):
            return "content after the root element"
        case 77, 73:
            return "\(message); the file ends early"
        default:
            if message.contains("Premature end of data") || message.contains("EndTag") && message.contains("expected") {
                return "\(message); the file ends early"
            }
            return message
        }
    }

    private static let initializeOnce: Void = {
        xmlInitParser()
    }()
}
