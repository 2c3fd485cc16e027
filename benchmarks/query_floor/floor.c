/* The C floor of codemap's extraction: parse every file named on stdin and run a tags
 * query over its tree with the tree-sitter C API, counting matches and looking at
 * nothing else (no Python objects, no extraction, nothing written). Text predicates
 * (#eq?, #any-of?) are not applied: a few more matches than the Python binding keeps.
 * Built and run by benchmarks/query_floor.py; argv[1] is the query file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>
const TSLanguage *tree_sitter_python(void);
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: floor QUERY.scm < files\n"); return 2; }
  FILE *qf = fopen(argv[1], "rb"); if (!qf) { perror(argv[1]); return 2; }
  fseek(qf,0,SEEK_END); long qn=ftell(qf); rewind(qf);
  char *qs = malloc(qn+1); fread(qs,1,qn,qf); qs[qn]=0;
  uint32_t eoff; TSQueryError et;
  TSQuery *q = ts_query_new(tree_sitter_python(), qs, qn, &eoff, &et);
  if (!q) { fprintf(stderr, "query error %d at %u\n", et, eoff); return 1; }
  TSParser *p = ts_parser_new(); ts_parser_set_language(p, tree_sitter_python());
  TSQueryCursor *c = ts_query_cursor_new();
  char path[4096]; double tp=0, tq=0; long matches=0, caps=0, files=0;
  while (fgets(path, sizeof path, stdin)) {
    path[strcspn(path, "\n")] = 0;
    FILE *f = fopen(path, "rb"); if (!f) continue;
    fseek(f,0,SEEK_END); long n=ftell(f); rewind(f); char *buf=malloc(n); fread(buf,1,n,f); fclose(f);
    double t0=now();
    TSTree *t = ts_parser_parse_string(p, NULL, buf, n);
    double t1=now();
    ts_query_cursor_exec(c, q, ts_tree_root_node(t));
    TSQueryMatch m;
    while (ts_query_cursor_next_match(c, &m)) { matches++; caps += m.capture_count; }
    double t2=now();
    tp += t1-t0; tq += t2-t1; files++;
    ts_tree_delete(t); free(buf);
  }
  printf("files %ld parse %.3f query %.3f matches %ld captures %ld\n", files, tp, tq, matches, caps);
  return 0;
}
