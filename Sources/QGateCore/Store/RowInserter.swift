import Foundation
import GRDB
import GRDBSQLite

/// One prepared INSERT that takes its values column by column, straight into SQLite.
///
/// Why not GRDB's `setUncheckedArguments` + `execute()`: an ingest writes up to a hundred
/// thousand rows (one per test), and building a `StatementArguments` of existentials per row,
/// then converting each to a `DatabaseValue`, cost more instructions than SQLite's own insert.
/// Values are bound as GRDB binds them (text and blobs copied, `Bool` as 0/1, nil as NULL), so
/// the stored rows are identical. GRDB still prepares, owns and finalizes the statement.
struct RowInserter {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var column: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    /// SQLite copies text and blobs before `bind` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: String?) {
        column += 1
        guard var value else {
            sqlite3_bind_null(handle, column)
            return
        }
        value.withUTF8 { bytes in
            if let start = bytes.baseAddress, bytes.count > 0 {
                sqlite3_bind_text(
                    handle, column, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                    Int32(bytes.count), RowInserter.transient)
            } else {
                // A non-nil pointer for "": SQLite stores NULL for a nil text pointer.
                sqlite3_bind_text(handle, column, "", 0, RowInserter.transient)
            }
        }
    }

    mutating func bind(_ value: Int64) {
        column += 1
        sqlite3_bind_int64(handle, column, value)
    }

    mutating func bind(_ value: Int?) {
        guard let value else {
            column += 1
            sqlite3_bind_null(handle, column)
            return
        }
        bind(Int64(value))
    }

    mutating func bind(_ value: Bool) {
        bind(Int64(value ? 1 : 0))
    }

    mutating func bind(_ value: Double?) {
        column += 1
        guard let value else {
            sqlite3_bind_null(handle, column)
            return
        }
        sqlite3_bind_double(handle, column, value)
    }

    mutating func bind(_ value: Data) {
        column += 1
        value.withUnsafeBytes { bytes in
            // An empty blob is a zero-length blob, not NULL (as GRDB stores `Data()`).
            if bytes.count == 0 {
                sqlite3_bind_zeroblob(handle, column, 0)
            } else {
                sqlite3_bind_blob(handle, column, bytes.baseAddress, Int32(bytes.count), RowInserter.transient)
            }
        }
    }

    /// Inserts the row bound so far and gets ready for the next one.
    mutating func insert() throws {
        column = 0
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }
}
