import Foundation

/// Stores a sorted set of line numbers compactly: deltas as LEB128 varints. A 2-million-line
/// coverage report then costs a few MB instead of millions of rows.
public enum LineSetCoding {
    public static func encode(_ lines: [UInt32]) -> Data {
        var data = Data()
        data.reserveCapacity(lines.count + 8)
        var previous: UInt32 = 0
        for line in lines {
            var delta = line &- previous
            previous = line
            repeat {
                var byte = UInt8(delta & 0x7F)
                delta >>= 7
                if delta != 0 { byte |= 0x80 }
                data.append(byte)
            } while delta != 0
        }
        return data
    }

    public static func decode(_ data: Data) -> [UInt32] {
        var lines: [UInt32] = []
        lines.reserveCapacity(data.count)
        var current: UInt32 = 0
        var delta: UInt32 = 0
        var shift: UInt32 = 0
        for byte in data {
            delta |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 != 0 {
                shift += 7
                if shift > 28 { return lines }
            } else {
                current &+= delta
                lines.append(current)
                delta = 0
                shift = 0
            }
        }
        return lines
    }
}
