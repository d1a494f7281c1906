import Foundation

/// Counts the attributes of every start tag in the raw bytes before libxml2 sees them, and
/// stops a tag with more than a bound.
///
/// libxml2 2.9 (Debian 12's) checks each attribute of a start tag against every earlier one,
/// so one element with a million attributes costs 10^12 steps inside a single C call that
/// nothing can interrupt: the bound has to be applied to the bytes on their way in. The
/// scanner is a small state machine that knows what can hide a `<`, `=` or `>`: quoted
/// values, comments, CDATA, processing instructions and declarations. Skipping uses `memchr`.
struct XMLAttributeGuard {
    let limit: Int
    /// Plain values only: the scanner runs over every byte of a report, and a state holding an
    /// array would be retained and released on every step.
    private enum State: Equatable {
        case text
        case open  // after `<`, up to 8 bytes (in `seen`) to tell what follows
        case startTag
        case quoted(UInt8, returnTo: Returning)
        case declaration  // `<!DOCTYPE …>`, `<!ELEMENT …>`, `</end>`
        case skipping(Terminator, matched: Int)  // comment, CDATA, processing instruction
    }
    private enum Returning: Equatable { case startTag, declaration }

    /// What ends a section whose content is skipped.
    private enum Terminator: Equatable {
        case comment, cdata, processingInstruction

        var bytes: StaticString {
            switch self {
            case .comment: "-->"
            case .cdata: "]]>"
            case .processingInstruction: "?>"
            }
        }
    }

    private var state = State.text
    private var seen: [UInt8] = []
    private var attributes = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Scans the next bytes; returns false as soon as a start tag has more than `limit` attributes.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .text:
                guard let found = memchr(base + index, Int32(UInt8(ascii: "<")), count - index) else { return true }
                index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                // Start and end tags, the hot path, are told from their first byte.
                if index < count, base[index] != UInt8(ascii: "!") {
                    state = XMLAttributeGuard.classifyFirst(base[index])
                    index += 1
                    if state == .startTag { attributes = 0 }
                } else {
                    seen.removeAll(keepingCapacity: true)
                    state = .open
                }
            case .open:
                seen.append(base[index])
                index += 1
                state = classify(seen)
                if state == .startTag { attributes = 0 }
            case .startTag:
                // Inside a start tag: count `=` outside quoted values, until `>`.
                while index < count {
                    let byte = base[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        guard let found = memchr(base + index, Int32(byte), count - index) else {
                            state = .quoted(byte, returnTo: .startTag)
                            return true
                        }
                        index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                    } else if byte == UInt8(ascii: ">") {
                        state = .text
                        break
                    } else if byte == UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > limit { return false }
                    }
                }
            case .quoted(let quote, let returning):
                guard let found = memchr(base + index, Int32(quote), count - index) else { return true }
                index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                state = returning == .startTag ? .startTag : .declaration
            case .declaration:
                let byte = base[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): state = .quoted(byte, returnTo: .declaration)
                case UInt8(ascii: ">"): state = .text
                default: break
                }
            case .skipping(let terminator, var matched):
                let byte = base[index]
                index += 1
                let end = terminator.bytes.utf8Start
                let length = terminator.bytes.utf8CodeUnitCount
                if byte == end[matched] {
                    matched += 1
                } else if matched == 2, end[0] == end[1], byte == end[0] {
                    matched = 2  // `--->`, `]]]>`: still two of the terminator's first byte
                } else {
                    matched = byte == end[0] ? 1 : 0
                }
                state = matched == length ? .text : .skipping(terminator, matched: matched)
            }
        }
        return true
    }

    /// What one byte after `<` opens, when it is not `!`.
    private static func classifyFirst(_ byte: UInt8) -> State {
        switch byte {
        case UInt8(ascii: "?"): .skipping(.processingInstruction, matched: 0)
        case UInt8(ascii: "/"): .declaration
        default: .startTag
        }
    }

    private static let comment = Array("!--".utf8), cdata = Array("![CDATA[".utf8)

    /// What the bytes after `<` open; `.open` while they are still a prefix of something longer.
    private func classify(_ seen: [UInt8]) -> State {
        let comment = XMLAttributeGuard.comment, cdata = XMLAttributeGuard.cdata
        if seen == comment { return .skipping(.comment, matched: 0) }
        if seen == cdata { return .skipping(.cdata, matched: 0) }
        if comment.starts(with: seen) || cdata.starts(with: seen) { return .open }
        switch seen[0] {
        case UInt8(ascii: "?"): return .skipping(.processingInstruction, matched: 0)
        case UInt8(ascii: "!"), UInt8(ascii: "/"):
            // `<!DOCTYPE`, `<!ELEMENT`, an end tag; the last byte seen may already be a quote or `>`.
            return seen.count > 1 ? after(seen[seen.count - 1], in: .declaration) : .declaration
        default:
            return seen.count > 1 ? after(seen[seen.count - 1], in: .startTag) : .startTag
        }
    }

    private func after(_ byte: UInt8, in state: State) -> State {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): .quoted(byte, returnTo: state == .startTag ? .startTag : .declaration)
        case UInt8(ascii: ">"): .text
        default: state
        }
    }
}
