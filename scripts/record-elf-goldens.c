/*
 * Records the kernel's ground truth for the ELF fixtures, loading them with
 * libbpf exactly as a libbpf user would: for every program (loaded on its own,
 * so one rejected program does not hide the others) its section, name, type,
 * the final instructions libbpf handed to the kernel (map fds turned back into
 * indices of the object's map list), the verdict and first error line, test
 * runs over a list of packets (retval, data out, ring buffer events) and the
 * maps afterwards. Prints one JSON object per ELF file on stdout.
 *
 * Built and driven by scripts/record-elf-goldens.py. Needs root and libbpf-dev.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (1 << 22)
#define MAX_PACKETS 64
#define MAX_PKT 2048

static char log_buf[LOG_SIZE];
static unsigned char packets[MAX_PACKETS][MAX_PKT];
static int packet_len[MAX_PACKETS];
static int n_packets;

static void hex(const void *p, size_t n)
{
	const unsigned char *b = p;
	putchar('"');
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	putchar('"');
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int silent(enum libbpf_print_level l, const char *f, va_list a) { return 0; }

static void read_packets(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[MAX_PKT * 2 + 16];
	if (!f) { perror(path); exit(2); }
	while (n_packets < MAX_PACKETS && fgets(line, sizeof line, f)) {
		int n = 0;
		for (char *p = line; p[0] && p[1] && p[0] != '\n'; p += 2) {
			unsigned v;
			sscanf(p, "%2x", &v);
			packets[n_packets][n++] = v;
		}
		if (n) packet_len[n_packets++] = n;
	}
	fclose(f);
}

static int map_index_of_fd(struct bpf_object *obj, int fd)
{
	struct bpf_map *m;
	int i = 0;
	bpf_object__for_each_map(m, obj) {
		if (bpf_map__fd(m) == fd) return i;
		i++;
	}
	return -1;
}

static int dumpable(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_LRU_HASH ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_LPM_TRIE;
}

static int percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static void dump_maps(struct bpf_object *obj)
{
	struct bpf_map *m;
	int first = 1, ncpu = libbpf_num_possible_cpus();
	printf("[");
	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);
		unsigned ks = bpf_map__key_size(m), vs = bpf_map__value_size(m);
		printf("%s{\"name\":", first ? "" : ",");
		first = 0;
		json_str(bpf_map__name(m));
		if (!dumpable(t)) { printf(",\"entries\":null}"); continue; }
		printf(",\"entries\":[");
		unsigned char key[512], next[512], val[65536];
		size_t stride = (vs + 7) & ~7u;
		int fd = bpf_map__fd(m), e = 0, have = 0;
		while (bpf_map_get_next_key(fd, have ? key : NULL, next) == 0) {
			memcpy(key, next, ks);
			have = 1;
			if (bpf_map_lookup_elem(fd, key, val)) continue;
			printf("%s{\"key\":", e++ ? "," : "");
			hex(key, ks);
			if (percpu(t)) {
				printf(",\"values\":[");
				for (int c = 0; c < ncpu; c++) {
					if (c) putchar(',');
					hex(val + c * stride, vs);
				}
				printf("]}");
			} else {
				printf(",\"value\":");
				hex(val, vs);
				printf("}");
			}
		}
		printf("]}");
	}
	printf("]");
}

static int n_events;
static int on_event(void *ctx, void *data, size_t size)
{
	printf("%s{\"kind\":\"ringbuf\",\"map\":", n_events++ ? "," : "");
	json_str((const char *)ctx);
	printf(",\"data\":");
	hex(data, size);
	printf("}");
	return 0;
}

static int runnable(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_XDP || t == BPF_PROG_TYPE_SCHED_CLS ||
	       t == BPF_PROG_TYPE_SOCKET_FILTER || t == BPF_PROG_TYPE_CGROUP_SKB;
}

static void do_runs(struct bpf_object *obj, struct bpf_program *prog)
{
	struct ring_buffer *rb = NULL;
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		if (bpf_map__type(m) != BPF_MAP_TYPE_RINGBUF) continue;
		if (!rb) rb = ring_buffer__new(bpf_map__fd(m), on_event, (void *)bpf_map__name(m), NULL);
		else ring_buffer__add(rb, bpf_map__fd(m), on_event, (void *)bpf_map__name(m));
	}
	printf(",\"runs\":[");
	for (int i = 0; i < n_packets; i++) {
		static unsigned char out[MAX_PKT + 512];
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = packets[i], .data_size_in = packet_len[i],
			    .data_out = out, .data_size_out = sizeof out, .repeat = 1);
		int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &o);
		printf("%s{\"packet\":%d", i ? "," : "", i);
		if (err) {
			printf(",\"error\":");
			json_str(strerror(errno));
			printf("}");
			continue;
		}
		printf(",\"retval\":%u,\"dataOut\":", o.retval);
		hex(out, o.data_size_out);
		printf(",\"events\":[");
		n_events = 0;
		if (rb) ring_buffer__consume(rb);
		printf("]}");
	}
	printf("]");
	ring_buffer__free(rb);
}

/* open the object with only the programs selected in `want` autoloaded */
static struct bpf_object *open_with(const char *path, const int *want)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kernel_log_buf = log_buf, .kernel_log_size = LOG_SIZE,
		    .kernel_log_level = 1 | 4);
	struct bpf_object *obj = bpf_object__open_file(path, &oo);
	struct bpf_program *p;
	int i = 0;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, want[i++]);
	return obj;
}

static struct bpf_program *nth_program(struct bpf_object *obj, int which)
{
	struct bpf_program *p;
	int i = 0;
	bpf_object__for_each_program(p, obj)
		if (i++ == which) return p;
	return NULL;
}

static void print_insns(struct bpf_object *obj, struct bpf_program *prog)
{
	const struct bpf_insn *ins = bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog);
	if (!ins) { printf("null"); return; }
	struct bpf_insn *copy = calloc(n, sizeof *copy);
	memcpy(copy, ins, n * sizeof *copy);
	for (size_t k = 0; k + 1 < n; k++) {
		if (copy[k].code == (BPF_LD | BPF_DW | BPF_IMM)) {
			if (copy[k].src_reg == 1 || copy[k].src_reg == 2)
				copy[k].imm = map_index_of_fd(obj, copy[k].imm);
			k++;
		}
	}
	hex(copy, n * sizeof *copy);
	free(copy);
}

/*
 * Pass 1: the verdict of one program, loaded on its own so a rejected
 * program does not hide the others. A failure with an empty kernel log is
 * libbpf's own (e.g. a prog_array slot naming a program that is not being
 * loaded); then the whole object is loaded to get the kernel's verdict.
 */
static int one_program(const char *path, int which, int count)
{
	int want[256] = {0};
	want[which] = 1;
	struct bpf_object *obj = open_with(path, want);
	struct bpf_program *prog = nth_program(obj, which);
	printf("{\"section\":");
	json_str(bpf_program__section_name(prog));
	printf(",\"name\":");
	json_str(bpf_program__name(prog));
	printf(",\"progType\":");
	json_str(libbpf_bpf_prog_type_str(bpf_program__type(prog)));
	log_buf[0] = 0;
	int err = bpf_object__load(obj);
	if (err) {
		/* libbpf's own failures (a prog_array slot naming a program that is
		 * not loaded) look like rejections; the whole object decides. */
		static char saved[LOG_SIZE];
		memcpy(saved, log_buf, LOG_SIZE);
		for (int i = 0; i < count; i++) want[i] = 1;
		struct bpf_object *all = open_with(path, want);
		if (bpf_object__load(all) == 0) {
			bpf_object__close(obj);
			obj = all;
			prog = nth_program(obj, which);
			err = 0;
			printf(",\"loadedWithWholeObject\":true");
		} else {
			bpf_object__close(all);
			memcpy(log_buf, saved, LOG_SIZE);
		}
	}
	char *proc = strstr(log_buf, "processed ");
	printf(",\"verdict\":\"%s\",\"errorLine\":null", err ? "rejected" : "accepted");
	printf(",\"processedInsns\":%d", proc && !err ? atoi(proc + 10) : -1);
	if (err) {
		printf(",\"log\":");
		json_str(log_buf);
	}
	printf(",\"insns\":");
	print_insns(obj, prog);
	printf("}");
	bpf_object__close(obj);
	return !err;
}

/*
 * Pass 2: load every accepted program together (maps shared, prog arrays
 * filled as libbpf does), then run the packet-type programs in order over
 * the packet list. Maps persist across packets and programs, as `bpfiddle
 * run FILE.o` does; the maps are dumped after each program and at the end.
 */
static void object_runs(const char *path, const int *accepted, int count)
{
	struct bpf_object *obj = open_with(path, accepted);
	printf(",\"objectRun\":{");
	if (bpf_object__load(obj)) {
		printf("\"error\":");
		json_str(strerror(errno));
		printf("}");
		bpf_object__close(obj);
		return;
	}
	printf("\"programs\":[");
	int first = 1;
	for (int i = 0; i < count; i++) {
		struct bpf_program *prog = nth_program(obj, i);
		if (!accepted[i] || !runnable(bpf_program__type(prog))) continue;
		printf("%s{\"name\":", first ? "" : ",");
		first = 0;
		json_str(bpf_program__name(prog));
		do_runs(obj, prog);
		printf(",\"mapsAfter\":");
		dump_maps(obj);
		printf("}");
	}
	printf("],\"mapsAfter\":");
	dump_maps(obj);
	printf("}");
	bpf_object__close(obj);
}

static void one_object(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	printf("{\"object\":");
	json_str(base);
	if (!obj) {
		printf(",\"openError\":");
		json_str(strerror(errno));
		printf("}\n");
		return;
	}
	struct bpf_map *m;
	int first = 1, count = 0;
	printf(",\"maps\":[");
	bpf_object__for_each_map(m, obj) {
		printf("%s{\"name\":", first ? "" : ",");
		first = 0;
		json_str(bpf_map__name(m));
		printf(",\"type\":");
		json_str(libbpf_bpf_map_type_str(bpf_map__type(m)));
		printf(",\"keySize\":%u,\"valueSize\":%u,\"maxEntries\":%u,\"flags\":%u,\"mapExtra\":%llu}",
		       bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m),
		       bpf_map__map_flags(m), (unsigned long long)bpf_map__map_extra(m));
	}
	printf("],\"programs\":[");
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) count++;
	bpf_object__close(obj);
	int accepted[256] = {0};
	if (count > 256) { fprintf(stderr, "%s: too many programs\n", path); exit(2); }
	for (int i = 0; i < count; i++) {
		if (i) putchar(',');
		accepted[i] = one_program(path, i, count);
		fflush(stdout);
	}
	printf("]");
	object_runs(path, accepted, count);
	printf("}\n");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s PACKETS.hex FILE.o...\n", argv[0]);
		return 2;
	}
	libbpf_set_print(silent);
	read_packets(argv[1]);
	for (int i = 2; i < argc; i++)
		one_object(argv[i]);
	return 0;
}
