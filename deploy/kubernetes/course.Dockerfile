# The course image: what every person's server runs on Kubernetes.
# Build from the repository root:
#   docker build -f deploy/kubernetes/course.Dockerfile -t ghcr.io/homeward-platform/homeward-course:0.1.0 .
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-core tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 jovyan
COPY requirements.lock pyproject.toml README.md /tmp/homeward/
COPY widgets /tmp/homeward/widgets
COPY grading /tmp/homeward/grading
RUN pip install --no-cache-dir -r /tmp/homeward/requirements.lock \
    && pip install --no-cache-dir --no-deps /tmp/homeward && rm -rf /tmp/homeward
# the lessons and the apps, read-only; every server links them into the home folder
COPY modules /srv/homeward/content/lessons
COPY widgets/apps /srv/homeward/content/apps
COPY deploy/kubernetes/nbgrader_config.py /etc/homeward/jupyter/nbgrader_config.py
RUN chmod -R a+rX,go-w /srv/homeward /etc/homeward \
    && printf '#!/bin/sh\nln -sfn /srv/homeward/content/lessons "$HOME/lessons"\nln -sfn /srv/homeward/content/apps "$HOME/apps"\nexec "$@"\n' > /usr/local/bin/homeward-start \
    && chmod 755 /usr/local/bin/homeward-start
USER 1000
WORKDIR /home/jovyan
ENTRYPOINT ["tini", "--", "homeward-start"]
CMD ["jupyterhub-singleuser"]
