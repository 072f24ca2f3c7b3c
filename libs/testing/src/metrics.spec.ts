import { metricSample } from './metrics';

const exposition = [
  '# HELP collab_joins_total Joins answered.',
  '# TYPE collab_joins_total counter',
  'collab_joins_total{outcome="ok"} 3',
  '# HELP collab_fence_refusals_total Refused by the fence.',
  '# TYPE collab_fence_refusals_total counter',
  'collab_fence_refusals_total 0',
  '# HELP collab_op_ack_seconds Ack latency.',
  '# TYPE collab_op_ack_seconds histogram',
  'collab_op_ack_seconds_bucket{le="0.005"} 1',
  'collab_op_ack_seconds_sum 0.0042',
  'collab_op_ack_seconds_count 1',
  '# HELP collab_mails_sent_total Mails sent.',
  '# TYPE collab_mails_sent_total counter',
  '',
].join('\n');

describe('metricSample', () => {
  it('reads an unlabelled series, a labelled one and a histogram count', () => {
    expect(metricSample(exposition, 'collab_fence_refusals_total')).toBe(0);
    expect(metricSample(exposition, 'collab_joins_total{outcome="ok"}')).toBe(3);
    expect(metricSample(exposition, 'collab_op_ack_seconds_sum')).toBe(0.0042);
    expect(metricSample(exposition, 'collab_op_ack_seconds_count')).toBe(1);
  });

  it('reads 0 for a series of a declared metric that has no sample yet', () => {
    expect(metricSample(exposition, 'collab_joins_total{outcome="FORBIDDEN"}')).toBe(0);
    expect(metricSample(exposition, 'collab_mails_sent_total{transport="smtp"}')).toBe(0);
  });

  it('does not take a series for another whose name it begins', () => {
    expect(() => metricSample(exposition, 'collab_joins')).toThrow('no metric collab_joins');
  });

  it('throws for a metric the process does not declare', () => {
    expect(() => metricSample(exposition, 'collab_fence_refusal_total')).toThrow(
      'no metric collab_fence_refusal_total',
    );
    expect(() => metricSample(exposition, 'collab_mail_sent_total{transport="smtp"}')).toThrow(
      'no metric collab_mail_sent_total',
    );
  });
});
