using System.Text;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>ratings.csv's optional first_submitted and last_changed columns (docs/bundle-format.md).</summary>
public sealed class RatingTimestampsTests
{
    static readonly string SmallFolder = Corpus.Valid("small");

    /// <summary>The small valid bundle, its ratings.csv given the two columns: the first rating's from
    /// <paramref name="first"/>, the others' empty.</summary>
    static Dictionary<string, byte[]> WithTimestamps(string first)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl" }.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        var lines = File.ReadAllText(Path.Combine(SmallFolder, "ratings.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var csv = new StringBuilder(lines[0] + ",first_submitted,last_changed\n");
        csv.Append(lines[1]).Append(',').Append(first).Append('\n');
        foreach (var line in lines.Skip(2)) csv.Append(line).Append(",,\n");
        files["ratings.csv"] = Encoding.UTF8.GetBytes(csv.ToString());
        return files;
    }

    [Fact]
    public void TimestampsAreReadAsInstantsAndEmptyOnesLeftToTheImport()
    {
        var result = BundleReader.Parse(WithTimestamps("2026-03-01T14:05:00+08:00,2026-03-02T09:30:15.1234567Z"));

        Assert.Empty(result.Errors);
        var first = result.Bundle!.Ratings[0];
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 6, 5, 0, TimeSpan.Zero), first.FirstSubmitted);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 30, 15, TimeSpan.Zero).AddTicks(1234567), first.LastChanged);
        Assert.All(result.Bundle.Ratings.Skip(1), r => Assert.Equal((null, null), (r.FirstSubmitted, r.LastChanged)));
    }

    [Theory]
    [InlineData("2026-03-01,2026-03-02T09:30:00Z", "ratings.csv:2: first_submitted: \"2026-03-01\" must be an ISO-8601 time with a time zone, such as 2026-03-01T14:05:00Z")]
    [InlineData("2026-03-01T14:05:00Z,2026-03-01 15:00", "ratings.csv:2: last_changed: \"2026-03-01 15:00\" must be an ISO-8601 time with a time zone, such as 2026-03-01T14:05:00Z")]
    [InlineData("2026-02-30T14:05:00Z,2026-03-01T14:05:00Z", "ratings.csv:2: first_submitted: \"2026-02-30T14:05:00Z\" must be an ISO-8601 time with a time zone, such as 2026-03-01T14:05:00Z")]
    [InlineData(",2026-03-01T14:05:00Z", "ratings.csv:2: first_submitted: required when last_changed is given")]
    [InlineData("2026-03-02T00:00:00Z,2026-03-01T23:59:59Z", "ratings.csv:2: last_changed: 2026-03-01T23:59:59Z is before first_submitted 2026-03-02T00:00:00Z")]
    public void ABadTimestampIsAnErrorOnItsLineAndField(string timestamps, string error)
    {
        var result = BundleReader.Parse(WithTimestamps(timestamps));

        Assert.Null(result.Bundle);
        Assert.Equal([error], result.Errors.Select(e => e.ToString()));
    }
}
