using Dapper;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Grading;

/// <summary>An import writes no history lines; the first change of an imported rating writes the implied import line
/// before its own, so history.csv reads as if the import had written every line (docs/grading.md, "Rating history").</summary>
public sealed class ImportedRatingHistoryTests() : DemoRaterTest("dr-new")
{
    async Task<string[]> HistoryCsvAsync()
    {
        await using var output = new StringWriter();
        await new TextExport(Db.Database).WriteHistoryAsync(StudyId, output);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task ChangingAnImportedRatingAddsOnlyItsOwnLineToHistoryCsv()
    {
        await using var connection = await Db.Database.OpenAsync();
        var (raterId, responseId, value) = await connection.QueryFirstAsync<(long, long, string)>("""
            SELECT g.rater_id, g.response_id, g.value FROM ratings g JOIN criteria k ON k.id = g.criterion_id
            WHERE k.slug = 'overall' ORDER BY g.id DESC
            """);
        var before = await HistoryCsvAsync();

        var saved = await Grading.SaveAsync(StudyId, raterId, responseId,
            new Dictionary<string, string?> { ["overall"] = value == "2" ? "3" : "2" }, submit: false);
        var after = await HistoryCsvAsync();

        Assert.Equal(RatingWriteOutcome.Saved, saved.Outcome);
        Assert.Equal(1 + 576, before.Length);
        Assert.Equal(before, after[..^1]);
        Assert.Contains(",submitted,web,", after[^1]);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rating_history WHERE source = 'import'"));
    }
}
