/* Fast MQTT QoS 1 publisher for bench/bench_ingest.py (stream benchmark).
 *
 * Built by the benchmark at run time:  gcc -O2 -o mqtt_pub bench/mqtt_pub.c -lmosquitto -lpthread
 * (Debian: libmosquitto-dev). Publishes prepared messages, one per line of FILE as
 * "<topic>\t<payload>\n" (payloads are compact JSON, so they hold neither tab nor newline), in file
 * order with QoS 1, at most WINDOW unacknowledged, and waits for every PUBACK. Prints
 * "<messages acknowledged> <start> <end>" (epoch seconds; start after the connection is up, end at
 * the last acknowledgement), the same line as `python -m nengtan.ingest.simulator`.
 *
 *   mqtt_pub HOST PORT FILE [WINDOW]
 */
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long acked = 0;
static int connected = 0;

static double now(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

static void on_connect(struct mosquitto *m, void *u, int rc) {
    (void)m; (void)u;
    pthread_mutex_lock(&mu);
    connected = rc == 0 ? 1 : -1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void on_publish(struct mosquitto *m, void *u, int mid) {
    (void)m; (void)u; (void)mid;
    pthread_mutex_lock(&mu);
    acked++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s HOST PORT FILE [WINDOW]\n", argv[0]);
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    long window = argc > 4 ? atol(argv[4]) : 2000;
    FILE *f = fopen(argv[3], "rb");
    if (!f) { perror(argv[3]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(size + 1);
    if (!buf || fread(buf, 1, size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[3]); return 2; }
    buf[size] = 0;
    fclose(f);

    mosquitto_lib_init();
    struct mosquitto *mosq = mosquitto_new(NULL, true, NULL);
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_max_inflight_messages_set(mosq, 0); /* the window below bounds what is unacknowledged */
    mosquitto_connect_callback_set(mosq, on_connect);
    mosquitto_publish_callback_set(mosq, on_publish);
    if (mosquitto_connect(mosq, host, port, 60) != MOSQ_ERR_SUCCESS) { fprintf(stderr, "cannot connect\n"); return 1; }
    mosquitto_loop_start(mosq);
    pthread_mutex_lock(&mu);
    while (connected == 0) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    if (connected < 0) { fprintf(stderr, "connection refused\n"); return 1; }

    double t0 = now();
    long sent = 0;
    char *p = buf;
    while (p < buf + size) {
        char *nl = memchr(p, '\n', buf + size - p);
        if (!nl) nl = buf + size;
        char *tab = memchr(p, '\t', nl - p);
        if (tab) {
            *tab = 0;
            pthread_mutex_lock(&mu);
            while (sent - acked >= window) pthread_cond_wait(&cv, &mu);
            pthread_mutex_unlock(&mu);
            int rc = mosquitto_publish(mosq, NULL, p, (int)(nl - tab - 1), tab + 1, 1, false);
            if (rc != MOSQ_ERR_SUCCESS) { fprintf(stderr, "publish failed: %s\n", mosquitto_strerror(rc)); return 1; }
            sent++;
        }
        p = nl + 1;
    }
    pthread_mutex_lock(&mu);
    while (acked < sent) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    double t1 = now();
    printf("%ld %.6f %.6f\n", acked, t0, t1);
    fflush(stdout);
    mosquitto_disconnect(mosq);
    mosquitto_loop_stop(mosq, false);
    mosquitto_destroy(mosq);
    mosquitto_lib_cleanup();
    return 0;
}
