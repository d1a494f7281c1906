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
    private enum State: Equatable {
        case text
        case open([UInt8])          // after `<`, up to 8 bytes to tell what follows
        case startTag
        case quoted(UInt8, returnTo: Returning)
        case declaration            // `<!DOCTYPE …>`, `<!ELEMENT …>`, `</end>`
        case skipping(terminator: [UInt8], matched: Int)  // comment, CDATA, processing instruction
    }
    private enum Returning: Equatable { case startTag, declaration }

    private var state = State.text
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
                // Start and end tags, the hot path, are told from their first byte without allocating.
                if index < count, base[index] != UInt8(ascii: "!") {
                    state = classify([base[index]])
                    index += 1
                    if case .startTag = state { attributes = 0 }
                } else {
                    state = .open([])
                }
            case .open(var seen):
                seen.append(base[index])
                index += 1
                state = classify(seen)
                if case .startTag = state { attributes = 0 }
            case .startTag:
                let byte = base[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): state = .quoted(byte, returnTo: .startTag)
                case UInt8(ascii: ">"): state = .text
                case UInt8(ascii: "="):
                    attributes += 1
                    if attributes > limit { return false }
                default: break
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
                if byte == terminator[matched] {
                    matched += 1
                } else if matched == 2, terminator[0] == terminator[1], byte == terminator[0] {
                    matched = 2 // `--->`, `]]]>`: still two of the terminator's first byte
                } else {
                    matched = byte == terminator[0] ? 1 : 0
                }
                state = matched == terminator.count ? .text : .skipping(terminator: terminator, matched: matched)
            }
        }
        return true
    }

    /// What the bytes after `<` open; `.open` while they are still a prefix of something longer.
    private func classify(_ seen: [UInt8]) -> State {
        let comment = Array("!--".utf8), cdata = Array("![CDATA[".utf8)
        if seen == comment { return .skipping(terminator: Array("-->".utf8), matched: 0) }
        if seen == cdata { return .skipping(terminator: Array("]]>".utf8), matched: 0) }
        if comment.starts(with: seen) || cdata.starts(with: seen) { return .open(seen) }
        switch seen[0] {
        case UInt8(ascii: "?"): return .skipping(terminator: Array("?>".utf8), matched: 0)
        case UInt8(ascii: "!"), UInt8(ascii: "/"):
            // `<!DOCTYPE`, `<!ELEMENT`, an end tag; the last byte seen may already be a quote or `>`.
            return seen.count > 1 ? after(seen.last!, in: .declaration) : .declaration
        default:
            return seen.count > 1 ? after(seen.last!, in: .startTag) : .startTag
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
