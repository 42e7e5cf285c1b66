using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GradeBench.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, string databasePath)
    {
        services.AddSingleton(new Database(databasePath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Migrator>();
        services.AddSingleton<GradeBench.Storage.Nodes.InstallationQuery>();
        services.AddSingleton<GradeBench.Storage.Nodes.LeaseStore>();
        services.AddSingleton<GradeBench.Storage.Nodes.DataProtectionKeyStore>();
        services.AddSingleton<StudyImporter>();
        services.AddSingleton<StudyQuery>();
        services.AddSingleton<StudyLifecycleStore>();
        services.AddSingleton<StudyCompletionQuery>();
        services.AddSingleton<StudySetupStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<InviteStore>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<RevocationQuery>();
        services.AddSingleton<RubricQuery>();
        services.AddSingleton<ChecklistQuery>();
        services.AddSingleton<ChecklistMarksQuery>();
        services.AddSingleton<GradingStore>();
        services.AddSingleton<SpanStore>();
        services.AddSingleton<GradeBench.Storage.Notes.NoteSpanStore>();
        services.AddSingleton<GradeBench.Storage.Notes.GoldSpanStore>();
        services.AddSingleton<GradeBench.Storage.Notes.GoldSpanImport>();
        services.AddSingleton<RatingReveals>();
        services.AddSingleton<FlagStore>();
        services.AddSingleton<GradeBench.Storage.Review.ReviewQuery>();
        services.AddSingleton<AssignmentQuery>();
        services.AddSingleton<ResponseHandleQuery>();
        services.AddSingleton<GradeBench.Storage.Agreement.AgreementQuery>();
        services.AddSingleton<GradeBench.Storage.Dashboard.DashboardQuery>();
        services.AddSingleton<GradeBench.Storage.Adjudication.AdjudicationStore>();
        services.AddSingleton<GradeBench.Storage.Adjudication.SafetyAlertStore>();
        services.AddSingleton<GradeBench.Storage.Adjudication.ConsensusQuery>();
        services.AddSingleton<GradeBench.Storage.Calibration.CalibrationStore>();
        services.AddSingleton<GradeBench.Storage.Calibration.CalibrationQuery>();
        services.AddSingleton<GradeBench.Storage.Results.ResultsQuery>();
        services.AddSingleton<GradeBench.Storage.Export.TextExport>();
        services.AddSingleton<GradeBench.Storage.Export.BundleExport>();
        services.AddSingleton<GradeBench.Storage.Export.NoteInterchangeExport>();
        services.AddSingleton<GradeBench.Storage.Judges.JudgeStore>();
        services.AddSingleton<GradeBench.Storage.Judges.JudgeResultsQuery>();
        services.AddSingleton<GradeBench.Storage.Pairwise.PairwiseStore>();
        services.AddSingleton<GradeBench.Storage.Pairwise.PairQueueQuery>();
        services.AddSingleton<GradeBench.Storage.Pairwise.PairwiseVotesQuery>();
        services.AddSingleton<GradeBench.Storage.Pairwise.PairwiseResultsQuery>();
        services.AddSingleton<GradeBench.Storage.Results.SpanAgreementQuery>();
        return services;
    }
}
