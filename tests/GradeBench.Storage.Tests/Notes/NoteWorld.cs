using Dapper;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>The demo study with note labels (<see cref="DemoNotes"/>), open, and two new raters, <see cref="Rater"/> and
/// <see cref="Other"/>, who both hold an answer (<see cref="Response"/>) to <see cref="DemoNotes.AstralCase"/>, whose note
/// (<see cref="Text"/>) starts with an emoji.</summary>
public sealed class NoteWorld : IAsyncDisposable
{
    NoteWorld(TestDatabase db) => Db = db;

    public TestDatabase Db { get; }
    public long StudyId { get; private set; }
    public NoteSpanStore Notes => new(Db.Database, Db.Clock);
    public long Rater { get; private set; }
    public long Other { get; private set; }
    public long Case { get; private set; }
    public long Response { get; private set; }
    public string Text { get; private set; } = "";

    /// <summary>The labels in study.json's order: nihss, symptom, medication.</summary>
    public IReadOnlyList<NoteLabelInfo> Labels { get; private set; } = [];

    public static async Task<NoteWorld> CreateAsync(string rater = "dr-note", string other = "dr-other")
    {
        var world = new NoteWorld(await TestDatabase.CreateAsync());
        var db = world.Db;
        using (var temp = new TempFolder())
            world.StudyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoNotes.Write(temp.Path))).StudyId!.Value;
        // Both join first: a member who joins plans unstarted work again.
        world.Rater = await db.AddRaterAsync(world.StudyId, rater);
        world.Other = await db.AddRaterAsync(world.StudyId, other);
        world.Case = await world.CaseAsync(DemoNotes.AstralCase);
        await using (var connection = await db.Database.OpenAsync())
            (world.Response, world.Text) = await connection.QuerySingleAsync<(long, string)>(
                "SELECT MIN(r.id), c.presentation_md FROM cases c JOIN responses r ON r.case_id = c.id WHERE c.id = @Case GROUP BY c.id", new { world.Case });
        await world.AssignAsync(world.Rater, world.Response);
        await world.AssignAsync(world.Other, world.Response);
        world.Labels = await world.Notes.LabelsAsync(world.StudyId);
        return world;
    }

    public async Task<long> CaseAsync(string slug)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM cases WHERE study_id = @StudyId AND slug = @Slug", new { StudyId, Slug = slug });
    }

    /// <summary>Gives <paramref name="rater"/> the response (nothing when they hold it already).</summary>
    public async Task AssignAsync(long rater, long response)
    {
        await using var connection = await Db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
            VALUES (@StudyId, @Response, @Rater, 0, @At)
            ON CONFLICT DO NOTHING
            """, new { StudyId, Response = response, Rater = rater, At = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero) });
    }

    /// <summary>Takes every answer to the case from <paramref name="rater"/>.</summary>
    public async Task UnassignCaseAsync(long rater, long caseId)
    {
        await using var connection = await Db.Database.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM assignments WHERE rater_id = @Rater AND response_id IN (SELECT id FROM responses WHERE case_id = @Case)",
            new { Rater = rater, Case = caseId });
    }

    /// <summary>The first answer (by id) to the case.</summary>
    public async Task<long> AnswerOfAsync(long caseId)
    {
        await using var connection = await Db.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM responses WHERE case_id = @Case", new { Case = caseId });
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
