/// Text gathered from an XML element, kept up to a byte limit. A captured 10 MB test log must not
/// be held whole, so everything past the limit is counted and dropped as it streams in.
struct BoundedText {
    let limit: Int
    private var bytes: [UInt8] = []
    /// Bytes seen past the limit and dropped.
    private(set) var droppedBytes = 0

    init(limit: Int) {
        self.limit = limit
    }

    var isEmpty: Bool { bytes.isEmpty && droppedBytes == 0 }

    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        let room = limit - bytes.count
        if room >= chunk.count {
            bytes.append(contentsOf: chunk)
        } else {
            if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
            droppedBytes += chunk.count - max(room, 0)
        }
    }

    /// The kept text; when some was dropped, a last line says how much, so nobody mistakes a
    /// cut log for the whole one. A UTF-8 sequence cut at the limit is left out.
    var string: String {
        guard droppedBytes > 0 else { return String(decoding: bytes, as: UTF8.self) }
        var end = bytes.count
        // Back off over continuation bytes (10xxxxxx) and the lead byte they belong to.
        var back = end
        while back > 0, bytes[back - 1] & 0xC0 == 0x80 { back -= 1 }
        if back > 0, bytes[back - 1] >= 0xC0 {
            let lead = bytes[back - 1]
            let expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if end - (back - 1) < expected { end = back - 1 }
        }
        let omitted = droppedBytes + (bytes.count - end)
        return String(decoding: bytes[..<end], as: UTF8.self) + "\n[… \(omitted) more bytes not kept]"
    }
}

/// Splits streamed text into lines as it arrives, so that a report holding every message in one
/// element (mypy's global mode) is read line by line, never whole. An overlong line keeps its
/// head, which is where the location and severity are.
struct LineSplitter {
    let maxLineLength: Int
    private var partial: [UInt8] = []

    init(maxLineLength: Int) {
        self.maxLineLength = maxLineLength
    }

    /// Feeds a chunk and calls `line` with the bytes of every line it completes (without the
    /// newline or a carriage return before it), valid only during the call.
    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>, line: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for index in 0..<chunk.count where chunk[index] == UInt8(ascii: "\n") {
            keep(UnsafeBufferPointer(rebasing: chunk[start..<index]))
            deliver(line)
            start = index + 1
        }
        keep(UnsafeBufferPointer(rebasing: chunk[start...]))
    }

    /// Delivers the last line, which has no newline after it.
    mutating func finish(line: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !partial.isEmpty { deliver(line) }
    }

    private mutating func keep(_ piece: UnsafeBufferPointer<UInt8>) {
        let room = maxLineLength - partial.count
        if room > 0 { partial.append(contentsOf: piece.prefix(room)) }
    }

    private mutating func deliver(_ line: (UnsafeBufferPointer<UInt8>) -> Void) {
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        partial.withUnsafeBufferPointer(line)
        partial.removeAll(keepingCapacity: true)
    }
}
