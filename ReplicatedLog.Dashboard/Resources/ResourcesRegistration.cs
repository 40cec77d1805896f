using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReplicatedLog.Core.Contracts;

namespace ReplicatedLog.Dashboard.Resources;

/// <summary>Registers what the dashboard needs to show the AppHost's resources (the pages' API is mapped with <see cref="ResourceApi.MapResourceApi"/>).</summary>
public static class ResourcesRegistration
{
    public static IServiceCollection AddResourceServiceClient(this IServiceCollection services)
    {
        services.AddOptions<ResourceServiceClientOptions>().BindConfiguration(ResourceServiceClientOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AuthMode != ResourceServiceAuthMode.ApiKey || !string.IsNullOrEmpty(o.ApiKey),
                $"{ResourceServiceClientOptions.SectionName}:AuthMode is ApiKey but no ApiKey is set.")
            .Validate(o => o.Url is null || (o.Url.IsAbsoluteUri && o.Url.Scheme is "http" or "https"),
                $"{ResourceServiceClientOptions.SectionName}:Url must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddOptions<ConsoleLogOptions>().BindConfiguration(ConsoleLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ResourceCatalog(sp.GetRequiredService<IOptions<ConsoleLogOptions>>().Value.MaxConsoleLogCount));
        services.AddSingleton<ResourceServiceConnection>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<ResourceServiceClient>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(ResourceServiceJsonContext.Default));
        return services;
    }
}
