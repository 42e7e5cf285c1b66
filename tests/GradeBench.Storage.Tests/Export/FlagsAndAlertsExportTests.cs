using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Tests.Adjudication;

namespace GradeBench.Storage.Tests.Export;

/// <summary>flags.csv (each flag's thread, one row per message) and safety-alerts.csv (the alerts' audit trail).</summary>
public sealed class FlagsAndAlertsExportTests
{
    static async Task<string[]> ExportAsync(TestDatabase db, long studyId, string kind)
    {
        var output = new StringWriter();
        await ExportKinds.Text.Single(k => k.Name == kind).Write(new TextExport(db.Database), studyId, output, CancellationToken.None);
        return output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task FlagsCsvHoldsEachFlagWithItsRepliesAndResolution()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var flags = new FlagStore(world.Db.Database, world.Db.Clock);
        var response = (await world.Grading.QueueAsync(world.StudyId, world.Outsider))[0].ResponseId;
        var flagId = (await flags.AddAsync(world.StudyId, world.Outsider, response, "Onset time, twice"))!.Value;
        await flags.ReplyAsync(world.StudyId, flagId, world.Coordinator, "Use 08:10, the history's");
        await flags.ResolveAsync(world.StudyId, flagId, world.Coordinator);

        var lines = await ExportAsync(world.Db, world.StudyId, "flags.csv");

        Assert.Equal("study,case_id,response_id,flag_id,rater,entry,author,text,at,resolved_at,resolved_by", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains($",{flagId},dr-outsider,flag,dr-outsider,\"Onset time, twice\",", lines[1]);
        Assert.Contains($",{flagId},dr-outsider,reply,coord,\"Use 08:10, the history's\",", lines[2]);
        Assert.EndsWith(",coord", lines[2]);
    }

    [Fact]
    public async Task SafetyAlertsCsvKeepsTheAcknowledgementNoteWithWhoAndWhen()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var alerts = (await world.Alerts.UnacknowledgedAsync(world.StudyId, world.Coordinator))!;
        await world.Alerts.AcknowledgeAsync(world.StudyId, [alerts[0].AlertId], world.Coordinator, "Reviewed with the site lead");

        var lines = await ExportAsync(world.Db, world.StudyId, "safety-alerts.csv");

        Assert.Equal("study,case_id,response_id,rater,criterion,value,value_label,source,raised_at,acknowledged_at,acknowledged_by,acknowledgement_note", lines[0]);
        Assert.Equal(alerts.Count + 1, lines.Length);
        Assert.Single(lines, l => l.EndsWith(",coord,Reviewed with the site lead"));
        Assert.All(lines.Skip(1), l => Assert.Contains(",import,", l));
    }
}
