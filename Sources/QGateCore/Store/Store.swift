import Foundation
import GRDB

/// The normalised history: one SQLite file (WAL, so readers never block a writer) that every
/// command reads and `ingest`/`check` write.
///
/// Every write is one IMMEDIATE transaction: a crash or kill leaves the previous state, and two
/// CI jobs writing at once queue on the lock (with a generous busy timeout) instead of failing.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// The default location, `.qgate/qgate.db` under the working directory, unless `QGATE_DB` says otherwise.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["QGATE_DB"], !path.isEmpty { return path }
        return ".qgate/qgate.db"
    }

    /// Opens (creating when `create` is true) and migrates the store at `path`.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create else { throw StoreError.cannotOpen(path: path, reason: "no such file") }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create its folder")
            }
        }
        // Two CI jobs may open a brand-new store at the same moment: SQLite serialises their
        // writes, but not "read which migrations ran, then run the rest". An advisory lock on the
        // store's folder (not on the database file, whose POSIX locks belong to SQLite) makes
        // opening and migrating one step per process.
        let lock = FolderLock(folder: url.deletingLastPathComponent().path)
        defer { lock.release() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(120)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAQGateStore(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Store.describe(error))
        }
        do {
            let migrator = Schema.migrator
            let unknown = try pool.read { db -> String? in
                guard try db.tableExists("grdb_migrations") else {
                    let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                    return tables.isEmpty ? nil : "<none>"
                }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                return applied.first { !migrator.migrations.contains($0) }
            }
            if let unknown {
                if unknown == "<none>" { throw StoreError.notAQGateStore(path: path) }
                throw StoreError.newerSchema(path: path, migration: unknown)
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAQGateStore(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Store.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode)" }
        return String(describing: error)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) }
        catch let error as StoreError { throw error }
        catch let error as DatabaseError { throw StoreError.database(path: path, reason: Store.describe(error)) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) }
        catch let error as StoreError { throw error }
        catch let error as DatabaseError { throw StoreError.database(path: path, reason: Store.describe(error)) }
    }
}

/// An exclusive `flock` on a folder, held while a process opens and migrates the store in it.
/// Best effort: where the folder cannot be locked, SQLite's own locking still applies.
private final class FolderLock {
    private var descriptor: Int32

    init(folder: String) {
        descriptor = open(folder, O_RDONLY)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
