import Foundation
import GRDB

/// The first ``RunStore``: the normalised history in one SQLite file (WAL, so readers never
/// block a writer) that every command reads and `ingest`/`check` write.
///
/// Every write is one IMMEDIATE transaction: a crash or kill leaves the previous state, and two
/// CI jobs writing at once queue on the lock (for at most the busy timeout) instead of failing.
/// A file is identified as a qgate store, read-only, before anything in it is changed; commands
/// that only read open it read-only and never take a write lock.
public final class SQLiteStore: RunStore {
    public let path: String
    /// Whether this handle may write (``Access/readWrite``) or only read.
    public let access: Access
    let pool: any DatabaseWriter

    /// How a command uses the store (``StoreAccess``).
    public typealias Access = StoreAccess

    /// The file path (``RunStore/location``).
    public var location: String { path }

    /// How long a writer waits for another writer's transaction, in seconds, unless
    /// `QGATE_BUSY_TIMEOUT` says otherwise.
    public static let defaultBusyTimeout: TimeInterval = 120
    public static let busyTimeoutVariable = "QGATE_BUSY_TIMEOUT"

    /// The default location, `.qgate/qgate.db` under the working directory, unless `QGATE_DB` says otherwise.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["QGATE_DB"], !path.isEmpty { return path }
        return ".qgate/qgate.db"
    }

    /// The writers' busy timeout: `QGATE_BUSY_TIMEOUT` in seconds (0 to 86400), else 120.
    public static func busyTimeout(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TimeInterval {
        guard let text = environment[busyTimeoutVariable], !text.isEmpty else { return defaultBusyTimeout }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw UsageError("$\(busyTimeoutVariable) must be a number of seconds from 0 to 86400, not '\(text)'")
        }
        return seconds
    }

    /// Opens the store at `path`: with ``Access/readWrite`` creating it when `create` is true and
    /// migrating it; with ``Access/readOnly`` it must exist and nothing in it is changed.
    public init(
        path: String, create: Bool = true, access: Access = .readWrite,
        busyTimeout: TimeInterval = SQLiteStore.defaultBusyTimeout
    ) throws {
        self.path = path
        self.access = access
        let url = URL(fileURLWithPath: path)
        let identity = try SQLiteStore.identify(path: path)
        if identity == .missing {
            guard create, access == .readWrite else { throw StoreError.cannotOpen(path: path, reason: "no such file") }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create its folder")
            }
        }
        if access == .readOnly {
            if identity == .empty { throw StoreError.cannotOpen(path: path, reason: "it is empty (no run was ever stored in it)") }
            if case .qgate(let pending) = identity, pending {
                // An older store: upgrade it once when we may, else say what to do.
                guard FileManager.default.isWritableFile(atPath: path) else {
                    throw StoreError.cannotOpen(
                        path: path,
                        reason:
                            "it was written by an older qgate and is read-only here; run `qgate ingest` or `qgate check` on a writable copy to upgrade it"
                    )
                }
                _ = try SQLiteStore(path: path, create: false, access: .readWrite, busyTimeout: busyTimeout)
            }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(busyTimeout)
            do {
                pool = try DatabaseQueue(path: SQLiteStore.readOnlyLocation(path), configuration: configuration)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: SQLiteStore.describe(error))
            }
            return
        }
        // Two CI jobs may open a brand-new store at the same moment: SQLite serialises their
        // writes, but not "read which migrations ran, then run the rest". An advisory lock on the
        // store's folder (not on the database file, whose POSIX locks belong to SQLite) makes
        // opening and migrating one step per process.
        let lock = FolderLock(folder: url.deletingLastPathComponent().path)
        defer { lock.release() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Identified again under the lock: another process may have created it meanwhile.
        _ = try SQLiteStore.identify(path: path)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAQGateStore(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: SQLiteStore.describe(error))
        }
        do {
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notAQGateStore(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: SQLiteStore.describe(error))
        }
    }

    /// What a file is, found without writing to it.
    enum Identity: Equatable {
        case missing
        /// An empty regular file: becomes a store when opened for writing.
        case empty
        /// A qgate store; `pending` when it lacks migrations this qgate knows.
        case qgate(pending: Bool)
    }

    /// Reads the file read-only and refuses anything that is not a qgate store (or nothing yet):
    /// a device, a FIFO, a folder, another program's SQLite database, a newer qgate's store.
    static func identify(path: String) throws -> Identity {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return .missing }
            throw StoreError.cannotOpen(path: path, reason: IngestError.reason(errno: errno))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.cannotOpen(path: path, reason: "it is not a regular file")
        }
        if info.st_size == 0 { return .empty }
        guard FileManager.default.isReadableFile(atPath: path) else { throw StoreError.cannotOpen(path: path, reason: "permission denied") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: readOnlyLocation(path), configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db -> Identity in
                guard try db.tableExists("grdb_migrations") else {
                    // A database with no table at all (a store whose first open was killed) is still new.
                    let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
                    if tables == 0 { return .empty }
                    throw StoreError.notAQGateStore(path: path)
                }
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                let known = Schema.migrator.migrations
                if let unknown = applied.subtracting(known).sorted().first {
                    throw StoreError.newerSchema(path: path, migration: unknown)
                }
                guard let first = known.first, applied.contains(first) else { throw StoreError.notAQGateStore(path: path) }
                return .qgate(pending: applied.count < known.count)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.notAQGateStore(path: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: SQLiteStore.describe(error))
        }
    }

    /// Where a read-only connection opens the file. SQLite cannot read a WAL database in a folder
    /// it may not write unless its `-shm` file exists, so there the file is opened as immutable
    /// (no writer can create the WAL files there either).
    static func readOnlyLocation(_ path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard !FileManager.default.isWritableFile(atPath: folder), !FileManager.default.fileExists(atPath: path + "-shm"),
            let encoded = URL(fileURLWithPath: path).standardizedFileURL.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
        else { return path }
        return "file:\(encoded)?mode=ro&immutable=1"
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode)" }
        return String(describing: error)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard access == .readWrite else { throw StoreError.database(path: path, reason: "the store was opened read-only") }
        do { return try pool.write(body) } catch let error as StoreError { throw error } catch let error as UsageError { throw error } catch
        { throw StoreError.database(path: path, reason: SQLiteStore.describe(error)) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as StoreError { throw error } catch let error as UsageError { throw error } catch
        { throw StoreError.database(path: path, reason: SQLiteStore.describe(error)) }
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
