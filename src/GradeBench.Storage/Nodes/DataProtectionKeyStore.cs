using Dapper;

namespace GradeBench.Storage.Nodes;

/// <summary>The keys that sign cookies and antiforgery tokens (migration 0029), one XML element each as ASP.NET Core's key
/// manager writes it, shared by every node. Never changed once written: the key manager adds keys and revocations.</summary>
public sealed class DataProtectionKeyStore(Database database, TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> AllAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT xml FROM data_protection_keys ORDER BY created_at, name", cancellationToken: ct))).ToList();
    }

    /// <summary>Adds an element under <paramref name="name"/>, or under a name of its own when that is taken: the key
    /// manager reads every element whatever its name, and two nodes may name a revocation alike.</summary>
    public async Task AddAsync(string name, string xml, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        const string insert = """
            INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @Now)
            ON CONFLICT (name) DO NOTHING
            """;
        if (await connection.ExecuteAsync(new CommandDefinition(insert, new { Name = name, Xml = xml, Now = clock.GetUtcNow() }, transaction, cancellationToken: ct)) == 0)
            await connection.ExecuteAsync(new CommandDefinition(insert, new { Name = $"{name}-{Guid.NewGuid():N}", Xml = xml, Now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>Adds elements kept elsewhere before (the keys folder of an older version), all or nothing, when there are
    /// no keys yet; false, adding nothing, when there are.</summary>
    public async Task<bool> ImportIfEmptyAsync(IReadOnlyList<(string Name, string Xml)> elements, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginWriteAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM data_protection_keys", transaction: transaction, cancellationToken: ct)) > 0)
            return false;
        var now = clock.GetUtcNow();
        foreach (var (name, xml) in elements)
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @Now)",
                new { Name = name, Xml = xml, Now = now }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return true;
    }
}
