using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>A copy of the demo study with note labels in a shared factory's app, with a coordinator and two raters, Dr li
/// (who has a password) and Dr ma, who marked case-007's note.</summary>
sealed record NoteAdjudicationScene(long StudyId, User Coordinator, User Li, User Ma)
{

    /// <summary>Dr li and Dr ma both mark NIHSS [2, 9); li also the emoji as a medication, and a symptom at [12, 16) that
    /// ma marks at [13, 18); li links the NIHSS passage to a highlight of the answer.</summary>
    public static async Task<NoteAdjudicationScene> CreateAsync(GradeBenchFactory factory, bool adjudication = true)
    {
        BundleReadResult read;
        using (var folder = new TempFolder())
            read = BundleReader.Read(DemoNotes.Write(folder.Path));
        var bundle = read.Bundle!;
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(
            bundle with { Study = bundle.Study with { Id = "notes-" + Guid.NewGuid().ToString("N") } }, [])).StudyId!.Value;
        var coordinator = await factory.MemberAsync(studyId, "coord", "coordinator", withPassword: true);
        var li = await factory.MemberAsync(studyId, "li", withPassword: true);
        var ma = await factory.MemberAsync(studyId, "ma");
        var database = factory.Services.GetRequiredService<Database>();
        long caseId, response;
        await using (var connection = await database.OpenAsync())
        {
            (caseId, response) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT c.id, MIN(r.id) FROM cases c JOIN responses r ON r.case_id = c.id WHERE c.study_id = @studyId AND c.slug = @slug GROUP BY c.id",
                new { studyId, slug = DemoNotes.AstralCase });
            foreach (var rater in new[] { li.Id, ma.Id })
                await connection.ExecuteAsync("""
                    INSERT OR IGNORE INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
                    VALUES (@studyId, @response, @rater, 0, '2026-11-25T09:00:00.0000000Z')
                    """, new { studyId, response, rater });
        }
        var notes = factory.Services.GetRequiredService<NoteSpanStore>();
        var labels = await notes.LabelsAsync(studyId);
        var (nihss, symptom, medication) = (labels[0], labels[1], labels[2]);
        var score = new Dictionary<long, string> { [nihss.Attributes[1].Id] = "7" };
        var (_, linked) = await notes.AddAsync(li.Id, caseId, nihss.Id, 2, 9, score, null);
        await notes.AddAsync(ma.Id, caseId, nihss.Id, 2, 9, score, null);
        await notes.AddAsync(li.Id, caseId, medication.Id, 0, 1, null, "the stethoscope");
        await notes.AddAsync(li.Id, caseId, symptom.Id, 12, 16, null, null);
        await notes.AddAsync(ma.Id, caseId, symptom.Id, 13, 18, null, null);
        var spans = factory.Services.GetRequiredService<SpanStore>();
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, li.Id, response, (await spans.LabelsAsync(studyId))[0].Id, 0, 5, null));
        Assert.Equal(NoteSpanOutcome.Saved, await notes.LinkAsync(li.Id, (await spans.ListAsync(studyId, li.Id, response))[0].Id, linked!.Value));
        if (adjudication)
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication' WHERE id = @studyId", new { studyId });
        }
        return new NoteAdjudicationScene(studyId, coordinator, li, ma);
    }
}
