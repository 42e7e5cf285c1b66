using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage;

/// <summary>The two kinds of transaction the stores use, with the same guarantees on both databases.</summary>
public static class Transactions
{
    /// <summary>One installation-wide key: the write lock every writing transaction takes on PostgreSQL.</summary>
    internal const long WriteLockKey = 0x4772616465_01; // "Grade", 1
    internal const long MigrationLockKey = 0x4772616465_02;

    /// <summary>A writing transaction that holds the installation's one write lock from its first statement, so that a
    /// check made inside it (is the rater still a member, is the answer still unrevealed) stays true until it commits.
    /// SQLite: BEGIN IMMEDIATE. PostgreSQL: read committed (each statement sees every earlier commit) behind a
    /// transaction-scoped advisory lock that every writer takes.</summary>
    public static async Task<DbTransaction> BeginWriteAsync(this DbConnection connection, CancellationToken ct = default)
    {
        if (connection is SqliteConnection) return await connection.BeginTransactionAsync(ct);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@Key)", new { Key = WriteLockKey }, transaction, cancellationToken: ct));
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>A read-only transaction that sees one moment: every query in it reads the same committed state.</summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(this DbConnection connection, CancellationToken ct = default)
    {
        if (connection is SqliteConnection sqlite) return sqlite.BeginTransaction(deferred: true);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await connection.ExecuteAsync(new CommandDefinition("SET TRANSACTION READ ONLY", transaction: transaction, cancellationToken: ct));
        return transaction;
    }
}
