using Dapper;
using GradeBench.Storage.Accounts;

namespace GradeBench.Storage.Tests.Reliability;

/// <summary>Times are stored to the microsecond on both databases (PostgreSQL keeps no finer), so a study moved from one
/// to the other keeps them exactly.</summary>
public sealed class TimestampPrecisionTests
{
    [Fact]
    public async Task AClockReadingIsStoredToTheMicrosecondAndReadBackAsStored()
    {
        await using var db = await TestDatabase.CreateAsync();
        db.Clock.Now = new DateTimeOffset(2026, 12, 7, 9, 30, 15, TimeSpan.Zero).AddTicks(1_234_567);
        var id = (await new UserStore(db.Database, db.Clock).CreateAsync("micro", "Micro", isAdmin: false))!.Id;

        await using var connection = await db.Database.OpenAsync();
        var stored = await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT created_at FROM users WHERE id = @Id", new { Id = id });
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 30, 15, TimeSpan.Zero).AddTicks(1_234_560), stored);
        Assert.Equal("2026-12-07T09:30:15.1234560Z", Database.FormatTimestamp(stored));
    }
}
