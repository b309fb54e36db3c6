package io.pushgate.examples.springmvc;

import io.pushgate.client.PushClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One PushClient for the whole app, built from the environment and closed with the application context. */
@Configuration
public class PushConfig {

    /** The shared client; Spring calls {@link PushClient#close()} on shutdown. */
    @Bean(destroyMethod = "close")
    public PushClient pushClient() {
        return PushClient.builder()
                .adminUrls(System.getenv().getOrDefault("PUSH_ADMIN_URLS", "http://127.0.0.1:8283"))
                .secret(System.getenv("PUSH_ADMIN_SECRET"))
                .timeout(Duration.ofSeconds(2))
                .build();
    }
}
