import Foundation

/// Stores a sorted set of line numbers compactly: deltas as LEB128 varints. A 2-million-line
/// coverage report then costs a few MB instead of millions of rows.
public enum LineSetCoding {
    public static func encode(_ lines: [UInt32]) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(lines.count + 8)
        var previous: UInt32 = 0
        for line in lines {
            var delta = line &- previous
            previous = line
            while delta >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
                delta >>= 7
            }
            bytes.append(UInt8(delta))
        }
        return Data(bytes)
    }

    public static func decode(_ data: Data) -> [UInt32] {
        var lines: [UInt32] = []
        lines.reserveCapacity(data.count)
        data.withUnsafeBytes { raw in
            var current: UInt32 = 0
            var delta: UInt32 = 0
            var shift: UInt32 = 0
            for byte in raw {
                delta |= UInt32(byte & 0x7F) << shift
                if byte & 0x80 != 0 {
                    shift += 7
                    if shift > 28 { return }
                } else {
                    current &+= delta
                    lines.append(current)
                    delta = 0
                    shift = 0
                }
            }
        }
        return lines
    }
}
