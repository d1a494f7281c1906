import Foundation

/// Tells a report's format from its first bytes, never from its file name: CI artifacts are
/// named anything (`report.xml`, `results.json`, `out`).
public enum FormatDetector {
    /// How much of a file is looked at.
    public static let prefixLength = 64 * 1024

    public static func detect(_ source: ReportSource) throws -> ReportFormat {
        guard let handle = FileHandle(forReadingAtPath: source.url.path) else {
            let reason = FileManager.default.fileExists(atPath: source.url.path) ? "permission denied" : "no such file"
            throw IngestError.unreadable(file: source.displayPath, reason: reason)
        }
        defer { try? handle.close() }
        let prefix: Data
        do {
            prefix = try handle.read(upToCount: prefixLength) ?? Data()
        } catch {
            throw IngestError.unreadable(file: source.displayPath, reason: ReportSource.reason(error))
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source.url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw IngestError.unreadable(file: source.displayPath, reason: "it is a directory")
        }
        if prefix.isEmpty {
            throw IngestError.invalid(
                file: source.displayPath, at: "", reason: "the file is empty; a tool that ran to completion writes at least an empty report"
            )
        }
        // pylint's JSON is a top-level array, which would otherwise read as safety 1.x.
        if prefix.first(where: { !isSpace($0) }) == UInt8(ascii: "["), let output = MisdirectedOutput.recognise(prefix) {
            throw IngestError.misdirected(file: source.displayPath, output: output)
        }
        if let format = detect(prefix: prefix) { return format }
        // The member that tells a JSON report's format may come after a large one (a SARIF
        // writer that puts `runs` before `version`, a bandit report with `results` last).
        if prefix.count == prefixLength, prefix.withUnsafeBytes({ shape($0.bindMemory(to: UInt8.self)) }) != .xml {
            let whole = try source.readAll()
            if let format = whole.withUnsafeBytes({ raw -> ReportFormat? in
                let bytes = raw.bindMemory(to: UInt8.self)
                return shape(bytes) == .json ? JSONTopLevel.format(of: bytes) : bannerFormat(bytes)
            }) {
                return format
            }
        }
        if let output = MisdirectedOutput.recognise(prefix) {
            throw IngestError.misdirected(file: source.displayPath, output: output)
        }
        throw IngestError.unknownFormat(file: source.displayPath)
    }

    /// Detection on the start of the content (at most ``prefixLength`` bytes of XML are looked
    /// at; JSON is read as far as the member that decides, which may lie beyond a prefix, so
    /// ``detect(_:)`` gives it the whole file when the prefix did not decide).
    public static func detect(prefix: Data) -> ReportFormat? {
        prefix.withUnsafeBytes { raw in detect(raw.bindMemory(to: UInt8.self)) }
    }

    private enum Shape { case xml, json, other }

    private static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> ReportFormat? {
        if let utf16 = XMLUTF16.utf8(ofStart: bytes, limit: prefixLength) {
            return utf16.withUnsafeBufferPointer { xmlFormat($0) }
        }
        switch shape(bytes) {
        case .xml: return xmlFormat(UnsafeBufferPointer(rebasing: bytes.prefix(prefixLength)))
        case .json: return JSONTopLevel.format(of: bytes)
        case .other: return bannerFormat(bytes)
        }
    }

    /// What the first byte after a UTF-8 byte order mark and whitespace announces.
    private static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> Shape {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return .other }
        switch bytes[index] {
        case UInt8(ascii: "<"): return .xml
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        default: return .other
        }
    }

    /// Only the roots of the formats qgate reads; any other root is no report (an unknown
    /// dialect read as JUnit would be "0 tests" and pass every test gate).
    private static func xmlFormat(_ bytes: UnsafeBufferPointer<UInt8>) -> ReportFormat? {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        switch rootElement(Array(bytes), from: index) {
        case "testsuites", "testsuite": return .junit
        case "coverage": return .cobertura
        default: return nil
        }
    }

    /// safety 3.x prints a DEPRECATED banner before its JSON.
    private static func bannerFormat(_ bytes: UnsafeBufferPointer<UInt8>) -> ReportFormat? {
        let window = UnsafeBufferPointer(rebasing: bytes.prefix(prefixLength))
        guard let brace = window.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) else { return nil }
        if String(decoding: window[..<brace], as: UTF8.self).localizedCaseInsensitiveContains("safety") { return .safetyJSON }
        // The 3.7 banner never says "safety"; the JSON after it does.
        if bytes[brace] == UInt8(ascii: "{"), JSONTopLevel.format(of: UnsafeBufferPointer(rebasing: bytes[brace...])) == .safetyJSON {
            return .safetyJSON
        }
        return nil
    }

    /// The name of the first element, skipping the XML declaration, comments, processing
    /// instructions and the DOCTYPE (whose internal subset may hold `>` characters).
    static func rootElement(_ bytes: [UInt8], from start: Int) -> String? {
        var index = start
        func skip(past terminator: [UInt8]) {
            while index < bytes.count {
                if bytes[index...].starts(with: terminator) { index += terminator.count; return }
                index += 1
            }
        }
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
            let rest = bytes[index...]
            if rest.starts(with: Array("<?".utf8)) {
                skip(past: Array("?>".utf8))
            } else if rest.starts(with: Array("<!--".utf8)) {
                skip(past: Array("-->".utf8))
            } else if rest.starts(with: Array("<!".utf8)) {
                var bracketDepth = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "[") { bracketDepth += 1 }
                    if byte == UInt8(ascii: "]") { bracketDepth -= 1 }
                    if byte == UInt8(ascii: ">") && bracketDepth <= 0 { break }
                }
            } else {
                index += 1
                var name = [UInt8]()
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") {
                    name.append(bytes[index])
                    index += 1
                }
                let qualified = String(decoding: name, as: UTF8.self)
                return qualified.split(separator: ":").last.map(String.init)
            }
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// XML in UTF-16, recognised as XML 1.0 Appendix F says: by its byte order mark, or without
/// one by the declaration's `<?` in either byte order. libxml2 reads such files itself; the
/// detector only needs their start as UTF-8 to find the root element.
enum XMLUTF16 {
    /// The first `limit` bytes of `bytes` as UTF-8, or nil when they are not UTF-16 XML.
    static func utf8(ofStart bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [UInt8]? {
        guard bytes.count >= 4 else { return nil }
        let bigEndian: Bool
        var start = 0
        switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
        case (0xFF, 0xFE, _, _) where !(bytes[2] == 0 && bytes[3] == 0):  // FF FE 00 00 is UTF-32
            bigEndian = false; start = 2
        case (0xFE, 0xFF, _, _): bigEndian = true; start = 2
        case (0x3C, 0x00, 0x3F, 0x00): bigEndian = false
        case (0x00, 0x3C, 0x00, 0x3F): bigEndian = true
        default: return nil
        }
        let end = min(bytes.count, limit) & ~1
        var units: [UInt16] = []
        units.reserveCapacity((end - start) / 2)
        var index = start
        while index + 1 < end {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
