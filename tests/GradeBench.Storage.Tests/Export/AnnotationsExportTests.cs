using System.Text.Json;
using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Export;

/// <summary>annotations.jsonl states its offsets in code points over the hash of the answer, with the covered text.</summary>
public sealed class AnnotationsExportTests() : DemoRaterTest("dr-export-spans")
{
    [Fact]
    public async Task AHighlightAfterAnEmojiIsExportedInCodePointsWithItsQuoteAndTheHashOfTheAnswer()
    {
        // "aspirin" is 7..14 in code points, 8..15 in UTF-16 units.
        const string answer = "Give 🙂 aspirin 300 mg";
        await using (var connection = await Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE responses SET content_md = @answer WHERE id = @Id", new { answer, Id = Demo.Assigned });
        var spans = new SpanStore(Db.Database, Db.Clock);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(StudyId, Rater, Demo.Assigned, (await spans.LabelsAsync(StudyId))[0].Id, 7, 14, null));
        var output = new StringWriter();

        await new TextExport(Db.Database).WriteAnnotationsAsync(StudyId, output);

        using var json = JsonDocument.Parse(Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var span = json.RootElement;
        Assert.Equal((7, 14, "aspirin", TextHash.Sha256(answer)),
            (span.GetProperty("start").GetInt32(), span.GetProperty("end").GetInt32(), span.GetProperty("quote").GetString(), span.GetProperty("text_sha256").GetString()));
    }
}
