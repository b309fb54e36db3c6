package io.pushgate.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** An OkHttpClient that records the URL of every HTTP call it starts, to see which server a PushClient asked. */
final class RecordingHttp implements AutoCloseable {
    final List<HttpUrl> calls = new CopyOnWriteArrayList<>();
    final OkHttpClient client = new OkHttpClient.Builder().eventListener(new EventListener() {
        @Override
        public void callStart(Call call) {
            calls.add(call.request().url());
        }
    }).build();

    List<Integer> ports() {
        return calls.stream().map(HttpUrl::port).toList();
    }

    List<String> paths() {
        return calls.stream().map(HttpUrl::encodedPath).toList();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
