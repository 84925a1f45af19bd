// A small line chart on a canvas: a few series of numbers over the last minutes, newest on the right.
'use strict';

class LineChart {
  constructor(canvas, colors, points) {
    this.canvas = canvas;
    this.colors = colors;
    this.points = points;
    this.series = colors.map(() => []);
  }

  push(values) {
    values.forEach((v, i) => {
      const s = this.series[i];
      s.push(v);
      if (s.length > this.points) s.shift();
    });
    this.draw();
  }

  draw() {
    const c = this.canvas.getContext('2d');
    const w = this.canvas.width, h = this.canvas.height, left = 44, top = 8, bottom = 18;
    const max = Math.max(1, ...this.series.flat());
    const scale = niceCeiling(max);
    c.clearRect(0, 0, w, h);
    c.font = '11px system-ui, sans-serif';
    c.fillStyle = '#5b6475';
    c.strokeStyle = '#e3e7ee';
    for (let i = 0; i <= 4; i++) {
      const y = top + (h - top - bottom) * i / 4;
      c.beginPath(); c.moveTo(left, y); c.lineTo(w, y); c.stroke();
      c.fillText(format(scale * (4 - i) / 4), 2, y + 4);
    }
    c.fillText(`last ${this.points} s`, left, h - 4);
    this.series.forEach((s, i) => {
      c.strokeStyle = this.colors[i];
      c.lineWidth = 2;
      c.beginPath();
      s.forEach((v, j) => {
        const x = left + (w - left) * (j + this.points - s.length) / (this.points - 1);
        const y = top + (h - top - bottom) * (1 - v / scale);
        if (j === 0) c.moveTo(x, y); else c.lineTo(x, y);
      });
      c.stroke();
    });
  }
}

function niceCeiling(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 5, 10].map((m) => m * p).find((n) => n >= v);
}

function format(v) {
  return v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + 'k' : String(Math.round(v * 10) / 10);
}
