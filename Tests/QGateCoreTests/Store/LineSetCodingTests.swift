import Foundation
import QGateCore
import Testing

@Suite struct LineSetCodingTests {
    @Test(arguments: [[UInt32](), [1], [1, 2, 3, 200, 70_000, 4_000_000_000], Array(1...5000).map(UInt32.init)] as [[UInt32]])
    func roundTrips(_ lines: [UInt32]) {
        #expect(LineSetCoding.decode(LineSetCoding.encode(lines)) == lines)
    }

    @Test func consecutiveLinesCostOneByteEach() {
        let lines = Array(1...10_000).map(UInt32.init)
        #expect(LineSetCoding.encode(lines).count == 10_000)
    }
}
